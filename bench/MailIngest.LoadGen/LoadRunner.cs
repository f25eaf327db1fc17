using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace MailIngest.LoadGen;

/// <summary>
/// Sends <see cref="LoadOptions.Messages"/> messages over <see cref="LoadOptions.Connections"/> concurrent clients and
/// records, per accepted message, the time from sending the final "." to reading the 250.
/// </summary>
public sealed class LoadRunner(LoadOptions options)
{
    private readonly ConcurrentQueue<long> _latencies = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly byte[] _body = options.MessageFile is { } file ? File.ReadAllBytes(file) : Body(options.Size);
    private int _next = -1;
    private int _sent;
    private long _started;

    /// <summary>Runs the load until every message was tried or the time bound passed.</summary>
    public async Task<LoadReport> RunAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
        _started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(_ => Task.Run(() => ClientAsync(bound.Token))));
        var elapsed = Stopwatch.GetElapsedTime(_started);
        return new LoadReport(_sent, _latencies.ToArray(), elapsed, _errors.ToDictionary());
    }

    private async Task ClientAsync(CancellationToken bound)
    {
        SmtpConnection? connection = null;
        var inFlight = false;
        try
        {
            while (!bound.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref _next);
                if (n >= options.Messages) return;
                await PaceAsync(n, bound);
                Interlocked.Increment(ref _sent);
                inFlight = true;
                try
                {
                    connection ??= await SmtpConnection.OpenAsync(options.Host, options.Port, bound);
                    var latency = await SendAsync(connection, n, bound);
                    inFlight = false;
                    _latencies.Enqueue(latency);
                }
                catch (Exception error) when (IsFailure(error))
                {
                    inFlight = false;
                    CountError(error, "");
                    if (connection is not null) await connection.DisposeAsync();
                    connection = null;
                    continue;
                }

                if (options.Reuse) continue;
                // The message is already accepted; a QUIT that goes wrong is counted apart ("quit-421").
                try
                {
                    await CloseAsync(connection, bound);
                }
                catch (Exception error) when (IsFailure(error))
                {
                    CountError(error, "quit-");
                }

                connection = null;
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            // The time bound passed: stop where we are; a transaction it interrupted counts as "cut-off", so that
            // sent = accepted + errors.
            if (inFlight) _errors.AddOrUpdate("cut-off", 1, (_, count) => count + 1);
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private static bool IsFailure(Exception error) =>
        error is SmtpException or IOException or System.Net.Sockets.SocketException;

    private void CountError(Exception error, string prefix) =>
        _errors.AddOrUpdate(prefix + (error is SmtpException ? error.Message : "io"), 1, (_, count) => count + 1);

    private async Task PaceAsync(int n, CancellationToken bound)
    {
        if (options.Rate == 0) return;
        var due = TimeSpan.FromSeconds((double)n / options.Rate) - Stopwatch.GetElapsedTime(_started);
        if (due > TimeSpan.Zero) await Task.Delay(due, bound);
    }

    /// <summary>One transaction; returns the end-of-data to 250 time in stopwatch ticks.</summary>
    private async Task<long> SendAsync(SmtpConnection connection, int n, CancellationToken bound)
    {
        var envelope = new StringBuilder("MAIL FROM:<loadgen@example.org>\r\n");
        for (var r = 0; r < options.Recipients; r++)
            envelope.Append("RCPT TO:<user").Append(((long)n * options.Recipients + r) % options.Mailboxes).Append('@').Append(options.Domain).Append(">\r\n");
        envelope.Append("DATA\r\n");
        if (connection.Pipelining)
        {
            await connection.SendAsync(Encoding.ASCII.GetBytes(envelope.ToString()), bound);
            await connection.ExpectAsync(250, bound);
            for (var r = 0; r < options.Recipients; r++) await connection.ExpectAsync(250, bound, alsoAccept: 251);
        }
        else
        {
            foreach (var command in envelope.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
            {
                await connection.SendAsync(Encoding.ASCII.GetBytes(command + "\r\n"), bound);
                if (command != "DATA") await connection.ExpectAsync(250, bound, alsoAccept: 251);
            }
        }

        await connection.ExpectAsync(354, bound);
        var headers = options.MessageFile is not null ? $"X-Load-Sequence: {n}.{_started}\r\n" : $"From: <loadgen@example.org>\r\nTo: <user{(long)n * options.Recipients % options.Mailboxes}@{options.Domain}>\r\n" +
                      $"Subject: load {n}\r\nMessage-ID: <{n}.{_started}@loadgen.example.org>\r\nDate: {DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture)}\r\n\r\n";
        await connection.SendAsync(Encoding.ASCII.GetBytes(headers), bound);
        await connection.SendAsync(_body, bound);
        var endOfData = Stopwatch.GetTimestamp();
        await connection.SendAsync(".\r\n"u8.ToArray(), bound);
        await connection.ExpectAsync(250, bound);
        return Stopwatch.GetTimestamp() - endOfData;
    }

    private static async Task CloseAsync(SmtpConnection connection, CancellationToken bound)
    {
        await connection.SendAsync("QUIT\r\n"u8.ToArray(), bound);
        try
        {
            await connection.ExpectAsync(221, bound);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    // Printable ASCII in lines of at most 76 octets plus CRLF, exactly size octets in all (at least one CRLF); the
    // lines start with a letter, so nothing needs dot-stuffing and there is no bare CR or LF.
    private static byte[] Body(int size)
    {
        var body = new byte[Math.Max(2, size)];
        var at = 0;
        for (var line = 0; at < body.Length; line++)
        {
            var remaining = body.Length - at;
            // 76 + CRLF, or what is left; a full line that would leave 1 or 2 octets (no room for text + CRLF) is shortened.
            var length = remaining - 78 is 1 or 2 ? 74 : Math.Min(76, remaining - 2);
            for (var i = 0; i < length; i++) body[at + i] = (byte)('a' + (line + i) % 26);
            body[at + length] = (byte)'\r';
            body[at + length + 1] = (byte)'\n';
            at += length + 2;
        }

        return body;
    }
}
