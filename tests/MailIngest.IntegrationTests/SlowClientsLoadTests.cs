using System.Net.Sockets;
using System.Text;
using MailIngest.Testing;
using Xunit.Abstractions;

namespace MailIngest.IntegrationTests;

/// <summary>
/// 2 000 connections that do nothing useful (half idle after EHLO, half trickling a byte a second) next to normal
/// senders: every normal message is still acknowledged, and the figures (latency with and without the slow clients,
/// memory per held connection) are reported. Bounded: 2 000 sockets, 100 messages per phase, sent over at least
/// 5 s while the slow clients trickle.
/// </summary>
public sealed class SlowClientsLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SlowClients = 2000;
    private const int Messages = 100;
    private readonly TempDirectory _data = new();
    private HostProcess _host = null!;

    public async Task InitializeAsync() => _host = await HostProcess.StartReadyAsync(_data.Path);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = 300_000)]
    public async Task Two_thousand_idle_and_slow_loris_connections_do_not_stop_normal_senders()
    {
        var recipients = new[] { "slow-clients@example.com" };
        var baseline = await SendAsync("baseline", recipients, TimeSpan.Zero);
        var before = _host.ResidentBytes();

        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < SlowClients; i++)
            {
                var client = new TcpClient { NoDelay = true };
                await client.ConnectAsync("127.0.0.1", _host.SmtpPort);
                // Idle ones say EHLO and wait; slow ones start a command and never finish it.
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(i % 2 == 0 ? "EHLO idle.test\r\n" : "NOOP"));
                held.Add(client);
            }

            var trickle = Task.Run(async () =>
            {
                var dot = "x"u8.ToArray();
                while (!stop.IsCancellationRequested)
                {
                    for (var i = 1; i < held.Count; i += 2)
                    {
                        try
                        {
                            await held[i].GetStream().WriteAsync(dot, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException)
                        {
                            // A connection the server closed (its line grew too long): it stays closed.
                        }
                    }

                    await Task.Delay(1000, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            });

            await WaitForSessionsAsync(SlowClients, TimeSpan.FromSeconds(120));
            var during = _host.ResidentBytes();
            var loaded = await SendAsync("loaded", recipients, TimeSpan.FromMilliseconds(50));
            await stop.CancelAsync();
            await trickle;

            output.WriteLine($"RSS {before / 1048576.0:0} MB before, {during / 1048576.0:0} MB with {SlowClients} slow connections: " +
                             $"{(during - before) / 1024.0 / SlowClients:0.0} KB per connection");
            output.WriteLine($"normal senders, new connection per message: baseline p50 {Percentile(baseline, 0.5):0.0} ms p99 {Percentile(baseline, 0.99):0.0} ms; " +
                             $"with slow clients p50 {Percentile(loaded, 0.5):0.0} ms p99 {Percentile(loaded, 0.99):0.0} ms " +
                             $"(ratio p50 {Percentile(loaded, 0.5) / Percentile(baseline, 0.5):0.00})");
            Assert.All(baseline.Concat(loaded), message => Assert.Equal(SendOutcome.Acknowledged, message.Outcome));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var client in held) client.Dispose();
        }
    }

    private async Task<IReadOnlyList<SentMessage>> SendAsync(string phase, IReadOnlyList<string> recipients, TimeSpan pause)
    {
        var sent = new List<SentMessage>();
        for (var i = 0; i < Messages; i++)
        {
            sent.Add(await SmtpTransaction.SendAsync(_host.SmtpPort, $"{phase}-{i}", recipients));
            await Task.Delay(pause);
        }

        return sent;
    }

    private Task WaitForSessionsAsync(int count, TimeSpan timeout) =>
        Eventually.ValueAsync($"{count} sessions open",
            async () => (await _host.GetJsonAsync("/status")).GetProperty("smtp").GetProperty("sessionsNow").GetInt64(),
            now => now >= count, timeout, now => $"{now} open", TimeSpan.FromMilliseconds(200));

    private static double Percentile(IReadOnlyList<SentMessage> sent, double rank)
    {
        var sorted = sent.Select(message => (message.Finished - message.Started).TotalMilliseconds).Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(rank * sorted.Length))];
    }
}
