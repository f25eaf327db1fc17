using System.Net.Sockets;
using System.Text;
using MailIngest.Testing;
using Xunit.Abstractions;

namespace MailIngest.IntegrationTests;

/// <summary>
/// Random and mutated sessions against the real host over TCP, bounded in time (MAILINGEST_FUZZ_SECONDS, default 30;
/// MAILINGEST_FUZZ_SEED replays the inputs): random write splits, random disconnects and resets (also mid-DATA),
/// every reply line checked octet by octet; afterwards the host still runs, still delivers a normal message, and its memory stayed bounded.
/// </summary>
public sealed class LiveFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 8;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _data = new();
    private HostProcess _host = null!;

    public async Task InitializeAsync() => _host = await HostProcess.StartReadyAsync(_data.Path, new Dictionary<string, string>
    {
        ["MailIngest__Smtp__MaxMessageBytes"] = "65536",
        ["MailIngest__Smtp__CommandTimeoutSeconds"] = "5",
        ["MailIngest__Smtp__DataTimeoutSeconds"] = "5",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    [Fact(Timeout = 300_000)]
    public async Task Random_sessions_over_tcp_get_only_well_formed_replies_and_leave_the_server_serving()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MAILINGEST_FUZZ_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("MAILINGEST_FUZZ_SECONDS"), out var configured) ? configured : 30;
        output.WriteLine($"seed {seed} (replay with MAILINGEST_FUZZ_SEED={seed})");
        await SmtpTransaction.SendAsync(_host.SmtpPort, "warm-up", ["fuzz-warm@example.com"]);
        var before = _host.ResidentBytes();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        var problems = new List<string>();
        var counts = await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(seed + client);
            var sessions = 0;
            while (DateTime.UtcNow < until)
            {
                var problem = await RunSessionAsync(SmtpFuzzInput.Session(random), random);
                if (problem is not null) lock (problems) problems.Add($"seed {seed}, client {client}, session {sessions}: {problem}");
                sessions++;
            }

            return sessions;
        })));
        var after = _host.ResidentBytes();

        var normal = await SmtpTransaction.SendAsync(_host.SmtpPort, "after-fuzz", ["fuzz-after@example.com"]);
        output.WriteLine($"seed {seed}: {counts.Sum()} sessions from {Clients} clients in {seconds} s; RSS {before / 1048576} MB before, " +
                         $"{after / 1048576} MB after; normal message afterwards: {normal.Outcome} {normal.Reply}");
        foreach (var problem in problems.Take(20)) output.WriteLine(problem);

        Assert.Empty(problems);
        Assert.False(_host.HasExited, _host.Output);
        Assert.Equal(SendOutcome.Acknowledged, normal.Outcome);
        await _host.SingleBySubjectAsync("fuzz-after@example.com", "after-fuzz");
        Assert.True(after - before < 300L * 1024 * 1024, $"RSS grew from {before} to {after} octets");
    }

    /// <summary>One session; null when every reply was well formed (a reset or closed connection is fine).</summary>
    private async Task<string?> RunSessionAsync(byte[] input, Random random)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", _host.SmtpPort);
        var stream = tcp.GetStream();
        using var stop = new CancellationTokenSource();
        var reader = ReadRepliesAsync(stream, stop.Token);

        // One session in four stops early, possibly mid-command or mid-content; half of those reset the connection.
        var length = random.Next(4) == 0 ? random.Next(input.Length + 1) : input.Length;
        var reset = length < input.Length && random.Next(2) == 0;
        try
        {
            for (var offset = 0; offset < length;)
            {
                var take = Math.Min(length - offset, random.Next(1, 200));
                await stream.WriteAsync(input.AsMemory(offset, take));
                offset += take;
                if (random.Next(8) == 0) await Task.Delay(random.Next(0, 5));
            }

            if (length == input.Length) await stream.WriteAsync("\r\nQUIT\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The server closed the connection (QUIT, 421, error limit): what it sent is still checked.
        }

        if (reset)
        {
            // What arrived so far is checked; then an RST instead of a FIN.
            await stop.CancelAsync();
            var seen = await reader;
            tcp.LingerState = new LingerOption(true, 0);
            tcp.Close();
            return seen;
        }

        tcp.Client.Shutdown(SocketShutdown.Send);
        stop.CancelAfter(ReadTimeout);
        return await reader;
    }

    /// <summary>
    /// Reads replies octet by octet, so a bare CR or LF inside a line, a non-ASCII octet or a line cut off by the
    /// close cannot slip past as they would through a text reader.
    /// </summary>
    private static async Task<string?> ReadRepliesAsync(NetworkStream stream, CancellationToken stop)
    {
        var buffer = new byte[4096];
        var line = new List<byte>();
        string? previous = null;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, stop)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        line.Add(buffer[i]);
                        if (line.Count > SmtpReplyCheck.MaxLineLength) return $"reply line over {SmtpReplyCheck.MaxLineLength} octets";
                        continue;
                    }

                    if (line.Count == 0 || line[^1] != (byte)'\r') return $"reply line ended by a bare LF: '{Encoding.Latin1.GetString([.. line])}'";
                    var text = Encoding.Latin1.GetString([.. line[..^1]]);
                    if ((SmtpReplyCheck.Problem(text) ?? SmtpReplyCheck.ContinuationProblem(previous, text)) is { } problem) return problem;
                    previous = text;
                    line.Clear();
                }
            }

            return line.Count == 0 ? null : $"connection closed inside a reply line: '{Encoding.Latin1.GetString([.. line])}'";
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Reset by the server, or the read deadline after the client stopped.
            return null;
        }
    }
}
