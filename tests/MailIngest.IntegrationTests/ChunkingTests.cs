using MailIngest.Testing;
using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace MailIngest.IntegrationTests;

/// <summary>BDAT (RFC 3030) against the real host: from a raw socket and from MailKit, stored byte for byte.</summary>
public sealed class ChunkingTests(SingleNodeFixture node) : IClassFixture<SingleNodeFixture>
{
    private HostProcess Host => node.Host;

    [Fact]
    public async Task Pipelined_BDAT_chunks_are_stored_verbatim_with_no_end_of_data_marker_to_smuggle()
    {
        // The second chunk holds what DATA would read as the end of the message followed by a second transaction.
        const string first = "Subject: bdat raw\r\nMessage-ID: <bdat-raw@test>\r\n\r\nfirst chunk\r\n";
        const string second = ".\r\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nsmuggled\r\n";
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO chunk.test\r\nMAIL FROM:<raw@example.org>\r\nRCPT TO:<bdat@example.com>\r\n" +
                               $"BDAT {first.Length}\r\n{first}BDAT {second.Length} LAST\r\n{second}QUIT\r\n");
        var replies = await client.ReadRepliesAsync(6);

        Assert.Contains("CHUNKING", replies[0]);
        Assert.StartsWith($"250 2.0.0 {first.Length} octets received", replies[3]);
        Assert.StartsWith("250 2.0.0 Ok: queued as ", replies[4]);
        Assert.StartsWith("221", replies[5]);
        var item = await Host.SingleBySubjectAsync("bdat@example.com", "bdat raw");
        var raw = await Host.RawAsync("bdat@example.com", item.GetProperty("id").GetString()!);
        Assert.EndsWith(first + second, raw);
        Assert.Empty(await Host.ListAsync("victim@example.com"));
    }

    [Fact]
    public async Task MailKit_sends_with_BDAT_when_asked_to_and_the_server_offers_CHUNKING()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.org"));
        message.To.Add(MailboxAddress.Parse("bdat-mailkit@example.com"));
        message.Subject = "mailkit chunking";
        message.Body = new TextPart("plain") { Text = "Sent in chunks.\r\n.\r\nA dot line above.\r\n" };
        using var log = new MemoryStream();
        // MailKit uses BDAT for a text message only when it prefers binary transfer and CHUNKING is offered.
        using (var client = new ChunkingSmtpClient(new ProtocolLogger(log, leaveOpen: true)))
        {
            await client.ConnectAsync("127.0.0.1", Host.SmtpPort, MailKit.Security.SecureSocketOptions.None);
            Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }

        Assert.Contains("BDAT ", System.Text.Encoding.ASCII.GetString(log.ToArray()));
        var item = await Host.SingleBySubjectAsync("bdat-mailkit@example.com", "mailkit chunking");
        var raw = await Host.RawAsync("bdat-mailkit@example.com", item.GetProperty("id").GetString()!);
        Assert.Contains("Sent in chunks.\r\n.\r\nA dot line above.", raw);
    }

    /// <summary>MailKit's client, told to prefer binary transfer (BDAT) whenever the server offers CHUNKING.</summary>
    private sealed class ChunkingSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
    {
        protected override bool PreferSendAsBinaryData => true;
    }
}
