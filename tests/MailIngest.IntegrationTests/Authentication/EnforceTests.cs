using System.Net;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// Authentication:Mode Enforce, end to end with swaks (through its PROXY support, so each message comes from its
/// case's client address): DMARC reject refuses with 550 5.7.1 and stores nothing; quarantine and none are stored.
/// </summary>
public sealed class EnforceTests(EnforcingNode node) : IClassFixture<EnforcingNode>
{
    [Fact]
    public async Task A_message_that_fails_DMARC_with_p_reject_gets_550_and_is_not_stored_nor_listed()
    {
        const string recipient = "rejected@ingest.test";
        var (exitCode, output) = await SendAsync("dmarc-fail-p-reject", recipient);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("550 5.7.1", output);
        Assert.Contains("DMARC policy of example.com is reject", output);
        var listing = await node.Host.Admin.GetAsync($"/api/mailboxes/{recipient}/messages");
        Assert.Equal(HttpStatusCode.NotFound, listing.StatusCode);
        var metrics = PrometheusText.Parse(await node.Host.Admin.GetStringAsync("/metrics"));
        Assert.True(metrics["mailingest_authentication_rejected"] >= 1, "the refusal is counted");
    }

    [Theory]
    [InlineData("dmarc-fail-p-quarantine", "quarantine")]
    [InlineData("dmarc-fail-p-none", "none")]
    [InlineData("dmarc-pass-via-spf-only", null)]
    public async Task A_message_DMARC_does_not_say_to_reject_is_stored_with_its_verdict(string name, string? appliedPolicy)
    {
        var recipient = $"enforce-{name}@ingest.test";
        var (exitCode, output) = await SendAsync(name, recipient);

        Assert.True(exitCode == 0, output);
        var item = Assert.Single(await node.Host.ListAllAsync(recipient, TimeSpan.FromSeconds(30)));
        var dmarc = item.GetProperty("authentication").GetProperty("dmarc");
        Assert.Equal(appliedPolicy, dmarc.TryGetProperty("appliedPolicy", out var applied) ? applied.GetString() : null);
    }

    private async Task<(int ExitCode, string Output)> SendAsync(string caseName, string recipient)
    {
        var @case = node.Corpus.Cases.Single(c => c.Name == caseName);
        return await ExternalTool.RunAsync("swaks",
        [
            "--server", "127.0.0.1", "--port", node.Host.SmtpPort.ToString(),
            "--proxy-version", "1", "--proxy-family", "TCP4", "--proxy-source", @case.ClientIp, "--proxy-source-port", "40000",
            "--proxy-dest", "10.0.0.1", "--proxy-dest-port", "25",
            "--ehlo", @case.Helo, "--from", @case.MailFrom, "--to", recipient,
            "--data", Path.Combine(node.Corpus.Directory, @case.MessageFile),
        ]);
    }
}
