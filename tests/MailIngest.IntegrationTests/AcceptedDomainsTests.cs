using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>"*" in Smtp:AcceptedDomains accepts any domain, and the node says so in its log at start.</summary>
public sealed class AcceptedDomainsTests
{
    [Fact]
    public async Task Wildcard_accepts_any_domain_and_logs_a_warning()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Smtp__AcceptedDomains__0"] = "example.com",
            ["MailIngest__Smtp__AcceptedDomains__1"] = "*",
        });
        await using var client = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO client.test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<someone@elsewhere.test>\r\n");
        var replies = await client.ReadRepliesAsync(3);

        Assert.StartsWith("250 2.1.5", replies[2]);
        Assert.Contains("accepts ANY domain", host.Output);
    }
}
