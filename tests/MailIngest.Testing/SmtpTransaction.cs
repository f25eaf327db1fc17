using System.Net.Sockets;

namespace MailIngest.Testing;

/// <summary>One complete SMTP dialogue (connect, EHLO, MAIL, RCPT..., DATA, QUIT) over <see cref="RawSmtpClient"/>, classified.</summary>
public static class SmtpTransaction
{
    /// <summary>Sends a small text message with <paramref name="subject"/> to <paramref name="recipients"/> and reports the outcome.</summary>
    public static async Task<SentMessage> SendAsync(int port, string subject, IReadOnlyList<string> recipients)
    {
        var started = DateTime.UtcNow;
        SentMessage Result(SendOutcome outcome, string reply) => new(subject, recipients, port, outcome, reply, started, DateTime.UtcNow);

        RawSmtpClient client;
        try
        {
            client = await RawSmtpClient.ConnectAsync(port);
        }
        catch (SocketException error)
        {
            return Result(SendOutcome.Refused, error.SocketErrorCode.ToString());
        }

        await using (client)
        {
            // Named in a dropped transaction's reply: where the server went silent tells a hang at delivery from one at
            // the greeting.
            var waitingFor = "the greeting";
            try
            {
                var reply = await client.ReadReplyAsync();
                if (!reply.StartsWith("220", StringComparison.Ordinal)) return Result(Classify(reply), reply);
                foreach (var (command, expected) in Commands(recipients))
                {
                    await client.SendAsync(command);
                    waitingFor = command.TrimEnd();
                    reply = await client.ReadReplyAsync();
                    if (!reply.StartsWith(expected, StringComparison.Ordinal)) return Result(Classify(reply), reply);
                    if (expected != "354") continue;
                    await client.SendAsync(Body(subject, recipients));
                    waitingFor = "the end of data";
                    reply = await client.ReadReplyAsync();
                    if (!reply.StartsWith("250", StringComparison.Ordinal)) return Result(Classify(reply), reply);
                    await QuitQuietlyAsync(client);
                    return Result(SendOutcome.Acknowledged, reply);
                }

                throw new InvalidOperationException("DATA was never sent");
            }
            catch (Exception error) when (error is IOException or EndOfStreamException or SocketException or OperationCanceledException)
            {
                return Result(SendOutcome.Dropped, $"{error.Message} (waiting for the reply to {waitingFor})");
            }
        }
    }

    /// <summary>
    /// Sends like a real MTA: a 4xx or a dropped connection is retried with the very same bytes (same Message-ID and
    /// content, so a mailbox that already stored an earlier attempt does not store it twice), up to <paramref name="attempts"/>.
    /// </summary>
    public static async Task<(SentMessage Last, int Attempts)> SendWithRetriesAsync(int port, string subject, IReadOnlyList<string> recipients,
        int attempts, TimeSpan pause)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await SendAsync(port, subject, recipients);
            if (result.Outcome is SendOutcome.Acknowledged or SendOutcome.Rejected || attempt == attempts) return (result, attempt);
            await Task.Delay(pause);
        }
    }

    private static IEnumerable<(string Command, string Expected)> Commands(IReadOnlyList<string> recipients)
    {
        yield return ("EHLO load.test\r\n", "250");
        yield return ("MAIL FROM:<load@example.org>\r\n", "250");
        foreach (var recipient in recipients) yield return ($"RCPT TO:<{recipient}>\r\n", "250");
        yield return ("DATA\r\n", "354");
    }

    private static string Body(string subject, IReadOnlyList<string> recipients) =>
        $"From: <load@example.org>\r\nTo: {string.Join(", ", recipients.Select(r => $"<{r}>"))}\r\n" +
        $"Subject: {subject}\r\nMessage-ID: <{subject}@load.test>\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n\r\n" +
        $"Load message {subject}.\r\n.\r\n";

    private static SendOutcome Classify(string reply) => reply.Length > 0 && reply[0] == '4' ? SendOutcome.Deferred
        : reply.Length > 0 && reply[0] == '5' ? SendOutcome.Rejected
        : SendOutcome.Dropped;

    private static async Task QuitQuietlyAsync(RawSmtpClient client)
    {
        try
        {
            await client.SendAsync("QUIT\r\n");
            await client.ReadReplyAsync();
        }
        catch (Exception error) when (error is IOException or EndOfStreamException or SocketException or OperationCanceledException)
        {
            // The message is already acknowledged; a 421 or a closed socket at QUIT changes nothing.
        }
    }
}
