using System.Net;
using MailIngest.Testing;
using MailKit.Net.Smtp;
using MimeKit;

namespace MailIngest.IntegrationTests;

/// <summary>A real SMTP client (MailKit) delivers; the admin API reads back.</summary>
public sealed class MailKitDeliveryTests(SingleNodeFixture node) : IClassFixture<SingleNodeFixture>
{
    private HostProcess Host => node.Host;

    private static MimeMessage Message(string subject, params string[] to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.org"));
        foreach (var address in to) message.To.Add(MailboxAddress.Parse(address));
        message.Subject = subject;
        var body = new BodyBuilder { TextBody = "Hello from MailKit.\r\n.leading dot line\r\n" };
        body.Attachments.Add("report.txt", "attachment content"u8.ToArray(), new ContentType("text", "plain"));
        message.Body = body.ToMessageBody();
        return message;
    }

    private async Task<string> SendAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", Host.SmtpPort, MailKit.Security.SecureSocketOptions.None);
        var response = await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
        return response;
    }

    [Fact]
    public async Task Message_sent_with_MailKit_is_listed_parsed_and_raw_in_every_recipient_mailbox()
    {
        var response = await SendAsync(Message("mailkit two recipients", "Alice@Example.COM", "bob@example.com"));

        Assert.Contains("Ok: queued as", response);
        foreach (var mailbox in new[] { "alice@example.com", "bob@example.com" })
        {
            var item = await Host.SingleBySubjectAsync(mailbox, "mailkit two recipients");
            // The listing is a reader's view: no journal fields (content key, dedup key, trace headers).
            Assert.False(item.TryGetProperty("contentKey", out _));
            Assert.False(item.TryGetProperty("dedupKey", out _));
            var id = item.GetProperty("id").GetString()!;
            var parsed = await Host.GetJsonAsync($"/api/mailboxes/{mailbox}/messages/{id}");
            Assert.Contains("Hello from MailKit.", parsed.GetProperty("textPreview").GetString());
            Assert.Contains(".leading dot line", parsed.GetProperty("textPreview").GetString());
            Assert.Equal("report.txt", parsed.GetProperty("attachments")[0].GetProperty("fileName").GetString());
            var raw = await Host.RawAsync(mailbox, id);
            Assert.StartsWith("Return-Path: <sender@example.org>\r\n", raw);
            Assert.Contains("Received: from ", raw);
            Assert.Contains($"id {id}", raw);
            Assert.Contains("Subject: mailkit two recipients", raw);
        }
    }

    [Fact]
    public async Task Mailbox_address_lookup_ignores_case()
    {
        await SendAsync(Message("case lookup", "CaSe@Example.com"));

        await Host.SingleBySubjectAsync("CASE@EXAMPLE.COM", "case lookup");
    }

    [Fact]
    public async Task Resending_the_same_message_does_not_store_a_second_copy()
    {
        var message = Message("retry after 451", "retry@example.com");

        await SendAsync(message);
        await SendAsync(message);

        await Host.SingleBySubjectAsync("retry@example.com", "retry after 451");
    }

    [Fact]
    public async Task Listing_is_newest_first_and_paged()
    {
        for (var i = 0; i < 3; i++) await SendAsync(Message($"page {i}", "pages@example.com"));

        var page = await Host.GetJsonAsync("/api/mailboxes/pages@example.com/messages?offset=1&limit=1");

        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal("page 1", Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("subject").GetString());
    }

    [Theory]
    [InlineData("/api/mailboxes/nobody@example.com/messages")]
    [InlineData("/api/mailboxes/nobody@example.com/messages/00000000000000000000AA")]
    [InlineData("/api/mailboxes/nobody@example.com/messages/00000000000000000000AA/raw")]
    public async Task Unknown_mailbox_or_message_is_404_json(string path)
    {
        using var response = await Host.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Address_without_domain_is_400()
    {
        using var response = await Host.Admin.GetAsync("/api/mailboxes/not-an-address/messages");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Status_shows_the_node_up_the_endpoints_and_counters()
    {
        await SendAsync(Message("status counter", "status@example.com"));

        var status = await Host.GetJsonAsync("/status");

        var member = Assert.Single(status.GetProperty("members").EnumerateArray());
        Assert.Equal("Up", member.GetProperty("status").GetString());
        Assert.Equal($"127.0.0.1:{Host.SmtpPort}", status.GetProperty("endpoints").GetProperty("smtp").GetString());
        Assert.True(status.GetProperty("smtp").GetProperty("accepted").GetInt64() >= 1);
        Assert.True(status.GetProperty("shards")[0].GetProperty("entityCount").GetInt32() >= 1);
    }

    [Fact]
    public async Task Message_of_several_megabytes_is_spooled_and_stored_byte_for_byte()
    {
        var line = new string('z', 76) + "\r\n";
        var text = string.Concat(Enumerable.Repeat(line, 8 * 1024 * 1024 / line.Length));
        var message = Message("large message", "large@example.com");
        message.Body = new TextPart("plain") { Text = text };

        await SendAsync(message);

        var item = await Host.SingleBySubjectAsync("large@example.com", "large message");
        var raw = await Host.RawAsync("large@example.com", item.GetProperty("id").GetString()!);
        Assert.Contains(text, raw);
        Assert.True(item.GetProperty("size").GetInt64() > 8_000_000);
    }
}
