using System.Text.Json;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>
/// MailIngest:Milters against a real libmilter filter (pymilter, tests/MailIngest.Testing/Milters/test_milter.py) in a
/// network namespace of its own, reached over a Unix socket: every action a filter can take is carried out, shows in
/// the stored message and in every API, and the client hears the filter's verdict at end of data.
/// </summary>
public sealed class MilterTests
{
    private const string Secret = "milter-test-webhook-secret";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_action_of_a_real_libmilter_filter_is_carried_out_and_reported()
    {
        using var data = new TempDirectory();
        await using var milter = await MilterProcess.StartTestMilterAsync(data.Path);
        await using var webhook = WebhookReceiver.Start(Secret);
        var settings = new Dictionary<string, string>(webhook.Settings())
        {
            ["MailIngest__Webhooks__0__Domains__0"] = "hooked.example",
            ["MailIngest__Milters__0__Name"] = "test",
            ["MailIngest__Milters__0__Address"] = milter.Address,
        };
        await using var host = await HostProcess.StartReadyAsync(data.Path, settings);
        var diagnosis = () => $"{host.Output}\n--- milter ---\n{milter.Output}";

        // Accept: stored as sent, with the milter's verdict.
        await SendAcceptedAsync(host, "plain@example.com", "plain", "accept");
        var plain = await host.SingleBySubjectAsync("plain@example.com", "plain");
        var verdict = Assert.Single(plain.GetProperty("filters").EnumerateArray());
        Assert.Equal(("test", "accept"), (verdict.GetProperty("name").GetString(), verdict.GetProperty("action").GetString()));
        Assert.False(plain.GetProperty("quarantined").GetBoolean());

        // Header changes: added, inserted at index 1, Subject changed, one field deleted; the rest untouched.
        await SendAcceptedAsync(host, "headers@example.com", "Hello there", "addheader", "X-Test-Arg: X-Remove-Me", "X-Remove-Me: gone");
        var edited = await host.SingleBySubjectAsync("headers@example.com", "[filtered] Hello there");
        var raw = await host.RawAsync("headers@example.com", edited.GetProperty("id").GetString()!);
        // Unfolded fields: Return-Path and Received (the trace), then the content's fields.
        var fields = raw.Split("\r\n\r\n")[0].Replace("\r\n\t", " ").Replace("\r\n ", " ").Split("\r\n");
        Assert.Equal(["Return-Path", "Received", "Date", "X-Inserted"], fields.Take(4).Select(field => field[..field.IndexOf(':')]));
        Assert.Equal("X-Inserted: first", fields[3]);
        Assert.Contains("X-Test-Milter: seen", fields);
        Assert.Contains("Subject: [filtered] Hello there", fields);
        Assert.DoesNotContain(fields, field => field.StartsWith("X-Remove-Me", StringComparison.Ordinal));
        Assert.Contains("X-Test-Milter: seen\r\n\r\nmilter test\r\n", raw);
        var added = edited.GetProperty("filters")[0].GetProperty("headersAdded").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.Equal(["X-Test-Milter: seen", "X-Inserted: first"], added);
        var view = await host.GetJsonAsync($"/api/mailboxes/headers@example.com/messages/{edited.GetProperty("id").GetString()}");
        Assert.Equal("X-Test-Milter: seen", view.GetProperty("summary").GetProperty("filters")[0].GetProperty("headersAdded")[0].GetString());

        // Refusals: the milter's own reply, the default 550 5.7.1, 451 4.7.1; nothing stored.
        Assert.Contains("550 5.7.1 Rejected by test milter", await SendRefusedAsync(host, "refused@example.com", "own-reply", "reject"));
        Assert.Contains("550 5.7.1 Refused by content filter", await SendRefusedAsync(host, "refused@example.com", "plain-reject", "reject-plain"));
        Assert.Contains("451 4.7.1", await SendRefusedAsync(host, "refused@example.com", "tempfail", "tempfail"));

        // Discard: 250 to the client, nothing stored, logged with the queue id, counted.
        var discarded = await Swaks.SendAsync(host.SmtpPort, "discarded@example.com", "discard", body: "milter test", headers: "X-Test-Action: discard");
        Assert.True(discarded.ExitCode == 0, discarded.Output);
        var queueId = QueuedAs(discarded.Output);
        await host.WaitForOutputAsync($"Discarded {queueId}", Patience);

        // Quarantine: stored, marked, with the reason, in the feed, and kept from the webhook (which gets what follows).
        await SendAcceptedAsync(host, "q@hooked.example", "quarantined", "quarantine");
        await SendAcceptedAsync(host, "q@hooked.example", "after-quarantine", "accept");
        var quarantined = await host.SingleBySubjectAsync("q@hooked.example", "quarantined");
        Assert.True(quarantined.GetProperty("quarantined").GetBoolean());
        Assert.Equal(("quarantine", "test quarantine"), (quarantined.GetProperty("filters")[0].GetProperty("action").GetString(),
            quarantined.GetProperty("filters")[0].GetProperty("reason").GetString()));
        var feed = await host.ReadUntilAsync(items => items.Any(item => item.GetProperty("subject").GetString() == "after-quarantine"), Patience);
        Assert.True(Assert.Single(feed, item => item.GetProperty("subject").GetString() == "quarantined").GetProperty("quarantined").GetBoolean());
        await webhook.WaitForAcceptedAsync(1, Patience);
        Assert.Equal(["after-quarantine"], webhook.Accepted.Select(delivery => delivery.Subject));

        // Envelope changes: a recipient added, one removed, the sender changed (Return-Path follows it).
        await SendAcceptedAsync(host, "first@example.com", "add-rcpt", "addrcpt", "X-Test-Arg: added@example.com");
        await host.SingleBySubjectAsync("added@example.com", "add-rcpt");
        await SendAcceptedAsync(host, "kept@example.com,dropped@example.com", "del-rcpt", "delrcpt", "X-Test-Arg: dropped@example.com");
        await host.SingleBySubjectAsync("kept@example.com", "del-rcpt");
        await SendAcceptedAsync(host, "sender@example.com", "chg-from", "chgfrom", "X-Test-Arg: changed@example.org");
        var changed = await host.SingleBySubjectAsync("sender@example.com", "chg-from");
        Assert.StartsWith("Return-Path: <changed@example.org>\r\n", await host.RawAsync("sender@example.com", changed.GetProperty("id").GetString()!));

        // A recipient the milter refuses is refused at RCPT, with the milter's reply, and does not get the message.
        var (_, partly) = await Swaks.SendAsync(host.SmtpPort, "wanted@example.com,blocked-one@example.com", "rcpt-refusal",
            body: "milter test", headers: "X-Test-Action: accept");
        Assert.Matches(@"RCPT TO:<blocked-one@example\.com>\r?\n<\*\*\s+550 5\.7\.1 Recipient refused by test milter", partly);
        await host.SingleBySubjectAsync("wanted@example.com", "rcpt-refusal");
        var allRefused = await SendRefusedAsync(host, "blocked-two@example.com", "all-refused", "accept");
        Assert.Matches(@"RCPT TO:<blocked-two@example\.com>\r?\n<\*\*\s+550 5\.7\.1 Recipient refused by test milter", allRefused);
        Assert.DoesNotContain("354", allRefused);

        // A milter that ends with CONTINUE keeps its connection: the next messages' sessions start on it (one new
        // connection for three messages), each with its own CONNECT.
        var before = PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"))["mailingest_milter_connections{milter=\"test\"}"];
        foreach (var subject in new[] { "pooled-1", "pooled-2", "pooled-3" })
        {
            await SendAcceptedAsync(host, "pooled@example.com", subject, "continue");
            await host.SingleBySubjectAsync("pooled@example.com", subject);
        }

        var connections = PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"))["mailingest_milter_connections{milter=\"test\"}"];
        Assert.True(connections == before + 1, $"{connections - before} connections for 3 messages\n{diagnosis()}");
        await Eventually.TrueAsync("the milter logs three sessions that ended with CONTINUE",
            () => milter.Output.Split('\n').Count(line => line.StartsWith("eom action=continue", StringComparison.Ordinal)) == 3, Patience, diagnosis);

        // RSET ends the transaction's milter session; the next transaction on the connection, pipelined, gets a session
        // of its own, and its refused recipient is refused at its RCPT, in the middle of the pipeline.
        await using (var client = await RawSmtpClient.ConnectAsync(host.SmtpPort))
        {
            Assert.StartsWith("220", await client.ReadReplyAsync());
            await client.SendAsync("EHLO pipeline.example.org\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<abandoned@example.com>\r\nRSET\r\n"
                + "MAIL FROM:<b@example.org>\r\nRCPT TO:<blocked-three@example.com>\r\nRCPT TO:<after-rset@example.com>\r\nDATA\r\n");
            Assert.Equal(["250", "250", "250", "250", "250", "550", "250", "354"], (await client.ReadRepliesAsync(8)).Select(reply => reply[..3]));
            await client.SendAsync("Subject: after-rset\r\nX-Test-Action: accept\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            Assert.StartsWith("250", await client.ReadReplyAsync());
        }

        await host.SingleBySubjectAsync("after-rset@example.com", "after-rset");
        await Eventually.TrueAsync("the milter saw the second transaction with its one accepted recipient",
            () => milter.Output.Split('\n').Any(line => line.StartsWith("eom", StringComparison.Ordinal) && line.Contains("after-rset@example.com", StringComparison.Ordinal)
                && !line.Contains("abandoned", StringComparison.Ordinal) && !line.Contains("blocked-three", StringComparison.Ordinal)), Patience, diagnosis);

        // Nothing refused, discarded or removed was stored.
        foreach (var mailbox in new[] { "refused@example.com", "discarded@example.com", "dropped@example.com", "blocked-one@example.com", "blocked-two@example.com", "blocked-three@example.com", "abandoned@example.com" })
            Assert.True((await host.ListAsync(mailbox)).Count == 0, $"{mailbox} holds mail\n{diagnosis()}");
        var metrics = PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics["mailingest_milter_actions{action=\"discard\",milter=\"test\"}"]);
        Assert.Equal(1, metrics["mailingest_milter_actions{action=\"quarantine\",milter=\"test\"}"]);
        Assert.True(metrics["mailingest_milter_calls{milter=\"test\"}"] == 18, diagnosis());
    }

    private static Task SendAcceptedAsync(HostProcess host, string to, string subject, string action, params string[] headers) =>
        Swaks.SendAcceptedAsync(host.SmtpPort, to, subject, body: "milter test", headers: [$"X-Test-Action: {action}", .. headers]);

    /// <summary>Sends, expecting a refusal; returns swaks's transcript.</summary>
    private static async Task<string> SendRefusedAsync(HostProcess host, string to, string subject, string action)
    {
        var (exitCode, output) = await Swaks.SendAsync(host.SmtpPort, to, subject, body: "milter test", headers: $"X-Test-Action: {action}");
        Assert.True(exitCode != 0, output);
        return output;
    }

    private static string QueuedAs(string transcript)
    {
        const string marker = "queued as ";
        var at = transcript.LastIndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, transcript);
        return new string(transcript[(at + marker.Length)..].TakeWhile(char.IsAsciiLetterOrDigit).ToArray());
    }
}
