using System.Net;
using System.Text;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>Hostile or sloppy input on the real host: the RFC's reply or the message stored as received, never a crash.</summary>
public sealed class InputHygieneTests(SingleNodeFixture node) : IClassFixture<SingleNodeFixture>
{
    private HostProcess Host => node.Host;

    private async Task<RawSmtpClient> GreetedAsync()
    {
        var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();
        await client.SendAsync("EHLO hygiene.test\r\n");
        await client.ReadReplyAsync();
        return client;
    }

    /// <summary>Sends MAIL, one RCPT, DATA and the content as raw bytes; returns the final reply.</summary>
    private static async Task<string> SendAsync(RawSmtpClient client, string mail, string rcpt, byte[] content)
    {
        await client.SendAsync(Encoding.UTF8.GetBytes($"MAIL FROM:{mail}\r\nRCPT TO:{rcpt}\r\nDATA\r\n"));
        var replies = await client.ReadRepliesAsync(3);
        Assert.True(replies[2].StartsWith("354", StringComparison.Ordinal), string.Join(" | ", replies));
        await client.SendAsync([.. content, .. "\r\n.\r\n"u8.ToArray()]);
        return await client.ReadReplyAsync();
    }

    private async Task<byte[]> RawBytesAsync(string mailbox, string subject)
    {
        var item = await Host.SingleBySubjectAsync(mailbox, subject);
        return await Host.Admin.GetByteArrayAsync($"/api/mailboxes/{Uri.EscapeDataString(mailbox)}/messages/{item.GetProperty("id").GetString()}/raw");
    }

    [Fact]
    public async Task Quoted_local_parts_are_accepted()
    {
        await using var client = await GreetedAsync();

        var reply = await SendAsync(client, "<\"john q. public\"@example.org>", "<\"team lead\"@example.com>", "Subject: quoted\r\n\r\nhi"u8.ToArray());

        Assert.StartsWith("250 2.0.0", reply);
    }

    [Fact]
    public async Task UTF8_addresses_need_SMTPUTF8_and_are_accepted_with_it()
    {
        await using var client = await GreetedAsync();

        await client.SendAsync(Encoding.UTF8.GetBytes("MAIL FROM:<a@example.org>\r\nRCPT TO:<用户@例子.广告>\r\nRSET\r\n"));
        Assert.StartsWith("553 5.6.7", (await client.ReadRepliesAsync(3))[1]);

        var reply = await SendAsync(client, "<用户@例子.广告> SMTPUTF8", "<收件人@例子.广告>", "Subject: utf8\r\n\r\n你好"u8.ToArray());
        Assert.StartsWith("250 2.0.0", reply);
    }

    [Fact]
    public async Task NUL_in_a_command_gets_500_and_NUL_and_8bit_content_without_8BITMIME_are_stored_as_received()
    {
        await using var client = await GreetedAsync();
        await client.SendAsync([.. "NOOP\0\r\n"u8.ToArray()]);
        Assert.StartsWith("500 5.5.2", await client.ReadReplyAsync());

        byte[] content = [.. "Subject: eight bit\r\n\r\ncaf"u8.ToArray(), 0xE9, 0x00, 0xFF, .. " end"u8.ToArray()];
        var reply = await SendAsync(client, "<a@example.org>", "<eightbit@example.com>", content);

        Assert.StartsWith("250 2.0.0", reply);
        var raw = await RawBytesAsync("eightbit@example.com", "eight bit");
        Assert.True(raw.AsSpan().IndexOf(content.AsSpan()) >= 0, "the content is not stored byte for byte");
    }

    [Fact]
    public async Task A_CR_in_the_EHLO_argument_is_refused_and_never_reaches_Received()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO evil\rX-Injected: yes\r\nEHLO clean.test\r\n");
        var replies = await client.ReadRepliesAsync(2);
        var reply = await SendAsync(client, "<a@example.org>", "<injection@example.com>", "Subject: injection\r\n\r\nbody"u8.ToArray());

        Assert.StartsWith("500 5.5.2", replies[0]);
        Assert.StartsWith("250", replies[1]);
        Assert.StartsWith("250 2.0.0", reply);
        var raw = Encoding.Latin1.GetString(await RawBytesAsync("injection@example.com", "injection"));
        Assert.DoesNotContain("X-Injected", raw);
        Assert.Contains("from clean.test", raw);
    }

    [Fact]
    public async Task Malformed_MIME_is_stored_as_received_and_its_parsed_view_still_answers()
    {
        const string content = "Subject: broken mime\r\nContent-Type: multipart/mixed; boundary=\"never-closed\r\n" +
                               "Header without colon\r\nContent-Transfer-Encoding: base64\r\n\r\n--never-closed\r\n" +
                               "Content-Type: text/plain; charset=\"unknown-8bit\r\n\r\n!!!not base64!!!\r\n--other--";
        await using var client = await GreetedAsync();

        var reply = await SendAsync(client, "<a@example.org>", "<broken@example.com>", Encoding.ASCII.GetBytes(content));

        Assert.StartsWith("250 2.0.0", reply);
        var raw = Encoding.Latin1.GetString(await RawBytesAsync("broken@example.com", "broken mime"));
        Assert.Contains(content, raw);
        var item = await Host.SingleBySubjectAsync("broken@example.com", "broken mime");
        using var parsed = await Host.Admin.GetAsync($"/api/mailboxes/broken@example.com/messages/{item.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, parsed.StatusCode);
    }
}
