using System.Collections.Concurrent;

namespace MailIngest.Testing;

/// <summary>
/// Concurrent SMTP clients sending small messages until stopped, one connection per message, round-robin over
/// the ports <see cref="Ports"/> returns at each send. Message n goes to two recipients of the pool, so one
/// transaction usually spans mailbox shards on several nodes. Every attempt is recorded with its outcome.
/// </summary>
public sealed class SmtpLoad
{
    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;
    private readonly string _runId;
    private readonly Func<int[]> _ports;
    private readonly IReadOnlyList<string> _recipients;
    private readonly TimeSpan _pause;
    private int _counter;

    private SmtpLoad(string runId, int clients, Func<int[]> ports, IReadOnlyList<string> recipients, TimeSpan pause)
    {
        _runId = runId;
        _ports = ports;
        _recipients = recipients;
        _pause = pause;
        _clients = Enumerable.Range(0, clients).Select(_ => Task.Run(RunClientAsync)).ToArray();
    }

    /// <summary>Everything recorded so far.</summary>
    public IReadOnlyList<SentMessage> Sent => _sent.ToArray();

    /// <summary>Starts <paramref name="clients"/> clients; each pauses <paramref name="pause"/> between messages.</summary>
    public static SmtpLoad Start(string runId, int clients, Func<int[]> ports, IReadOnlyList<string> recipients, TimeSpan pause) =>
        new(runId, clients, ports, recipients, pause);

    /// <summary>Recipient pool of <paramref name="count"/> addresses, unique to <paramref name="runId"/>.</summary>
    public static IReadOnlyList<string> Recipients(string runId, int count) =>
        Enumerable.Range(0, count).Select(i => $"{runId}-user{i}@example.com").ToArray();

    /// <summary>Waits until at least <paramref name="count"/> messages were acknowledged, failing after <paramref name="timeout"/>.</summary>
    public Task WaitForAcknowledgedAsync(int count, TimeSpan timeout) =>
        Eventually.TrueAsync($"{count} acknowledged messages", () => Acknowledged >= count, timeout, () => Summary(Sent));

    /// <summary>How many messages were acknowledged so far.</summary>
    public int Acknowledged => _sent.Count(message => message.Outcome == SendOutcome.Acknowledged);

    /// <summary>Stops sending, waits for the transactions in flight to end, and returns every attempt.</summary>
    public async Task<IReadOnlyList<SentMessage>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_clients);
        return Sent;
    }

    /// <summary>Counts per outcome, for messages.</summary>
    public static string Summary(IEnumerable<SentMessage> sent) =>
        string.Join(", ", sent.GroupBy(message => message.Outcome).OrderBy(group => group.Key).Select(group => $"{group.Key} {group.Count()}"));

    private async Task RunClientAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var n = Interlocked.Increment(ref _counter);
            var ports = _ports();
            var first = _recipients[n % _recipients.Count];
            var second = _recipients[(n * 7 + 3) % _recipients.Count];
            var recipients = first == second ? new[] { first } : new[] { first, second };
            var message = await SmtpTransaction.SendAsync(ports[n % ports.Length], $"{_runId}-{n}", recipients);
            _sent.Enqueue(message);
            try
            {
                // Back off a little more after a refusal so a closed port is not hammered.
                await Task.Delay(message.Outcome == SendOutcome.Refused ? _pause * 2 : _pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
