using System.Net;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>
/// MailIngest:Quota on a real node: a mailbox at its message count or its octets gets 452 4.2.2 at RCPT while the other
/// recipients of the same transaction get the message, /metrics counts the refusals, and a deletion gives it room again.
/// </summary>
public sealed class QuotaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_full_mailbox_is_refused_at_RCPT_with_452_4_2_2_until_a_deletion_makes_room()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Quota__MaxMessagesPerMailbox"] = "2",
            ["MailIngest__Quota__MaxBytesPerMailbox"] = "20000",
        });

        // By count: two messages fill it.
        await SendAsync(host, "counted@example.com", "one");
        Assert.Equal("250", await RcptAsync(host, "counted@example.com"));
        await SendAsync(host, "counted@example.com", "two");
        await Eventually.ValueAsync("RCPT to the full mailbox refused", () => RcptAsync(host, "counted@example.com"),
            reply => reply == "452 4.2.2", Patience, reply => $"RCPT answered {reply}");

        // The other recipient of the same transaction gets the message; the full one keeps its two.
        await using (var client = await RawSmtpClient.ConnectAsync(host.SmtpPort))
        {
            Assert.StartsWith("220", await client.ReadReplyAsync());
            await client.SendAsync("EHLO quota.example.org\r\nMAIL FROM:<sender@example.org>\r\nRCPT TO:<counted@example.com>\r\nRCPT TO:<room@example.com>\r\nDATA\r\n");
            var replies = await client.ReadRepliesAsync(5);
            Assert.StartsWith("452 4.2.2 Mailbox full", replies[2]);
            Assert.Equal(["250", "250", "452", "250", "354"], replies.Select(reply => reply[..3]));
            await client.SendAsync("Subject: shared\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            Assert.StartsWith("250", await client.ReadReplyAsync());
        }

        await host.SingleBySubjectAsync("room@example.com", "shared");
        Assert.Equal(2, (await host.ListAsync("counted@example.com")).Count);
        Assert.True(PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"))["mailingest_recipients_over_quota"] >= 2);
        Assert.Equal(1, (await host.GetJsonAsync("/status")).GetProperty("lifecycle").GetProperty("fullMailboxes").GetInt32());

        // A deletion makes room: RCPT is accepted again.
        var one = (await host.SingleBySubjectAsync("counted@example.com", "one")).GetProperty("id").GetString();
        using (var deleted = await host.Admin.DeleteAsync($"/api/mailboxes/counted@example.com/messages/{one}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Eventually.ValueAsync("RCPT accepted after the deletion", () => RcptAsync(host, "counted@example.com"),
            reply => reply == "250", Patience, reply => $"RCPT answered {reply}");

        // By octets: two messages of 12 000 octets pass 20 000.
        await SendAsync(host, "octets@example.com", "big-1", new string('x', 12_000));
        Assert.Equal("250", await RcptAsync(host, "octets@example.com"));
        await SendAsync(host, "octets@example.com", "big-2", new string('x', 12_000));
        await Eventually.ValueAsync("RCPT to the mailbox over its octets refused", () => RcptAsync(host, "octets@example.com"),
            reply => reply == "452 4.2.2", Patience, reply => $"RCPT answered {reply}");
    }

    private static Task SendAsync(HostProcess host, string to, string subject, string body = "quota test") =>
        Swaks.SendAcceptedAsync(host.SmtpPort, to, subject, body: body);

    /// <summary>The code (and enhanced code for a refusal) RCPT TO gets for <paramref name="address"/>; nothing is sent.</summary>
    private static async Task<string> RcptAsync(HostProcess host, string address)
    {
        await using var client = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.SendAsync($"EHLO quota.example.org\r\nMAIL FROM:<probe@example.org>\r\nRCPT TO:<{address}>\r\nQUIT\r\n");
        var reply = (await client.ReadRepliesAsync(4))[2];
        return reply.StartsWith("250", StringComparison.Ordinal) ? "250" : reply[..9];
    }
}
