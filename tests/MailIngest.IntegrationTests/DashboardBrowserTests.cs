using MailIngest.Testing;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace MailIngest.IntegrationTests;

/// <summary>
/// The dashboard in a real browser: headless Chromium, driven by PuppeteerSharp, against a real node with an
/// admin token and a webhook. Saves a screenshot; with MAILINGEST_UPDATE_SCREENSHOT=1 also as docs/dashboard.png (shown in docs/dashboard.md).
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Token = "dashboard-token-for-tests-41a7";
    private const string Mailbox = "dash@example.com";
    // Generous: the page polls every 2 s and a CI machine may be busy with other tests.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _data = new();
    private readonly WebhookReceiver _receiver = WebhookReceiver.Start("dashboard-webhook-secret");
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        var settings = _receiver.Settings(name: "crm");
        settings[HostProcess.AdminTokenVariable] = Token;
        _host = await HostProcess.StartReadyAsync(_data.Path, settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Dashboard_shows_the_member_and_moves_its_chart_and_refusal_codes_when_mail_arrives()
    {
        // Arrange: the page asks for the token, then shows this node as an Up member.
        await using var browser = await HeadlessChromium.StartAsync(1280, 900);
        await browser.Page.GoToAsync(new Uri(_host.AdminAddress, "/").ToString());
        await browser.WaitUntilAsync("!document.getElementById('token-form').hidden", Deadline, "the token prompt");
        await browser.Page.TypeAsync("#token-input", Token);
        await browser.Page.EvaluateExpressionAsync("document.getElementById('token-form').requestSubmit()");
        await browser.WaitUntilAsync($"document.querySelector(`#members tr[data-address='{_host.ClusterAddress}'][data-status='Up']`)",
            Deadline, "this node as an Up member");
        await browser.WaitUntilAsync("document.getElementById('token-form').hidden && document.querySelector(`#webhooks tr[data-webhook='crm']`)",
            Deadline, "the prompt gone and the webhook shown");
        var peakBefore = await ChartAsync(browser, "peak");

        // Act: mail in three rounds a sample apart (so the chart has a shape), one command refused with 501 (a
        // recipient that is no address), and two sessions held open.
        for (var round = 1; round <= 3; round++)
        {
            var points = await ChartAsync(browser, "points");
            for (var i = 0; i < round * 3; i++)
                Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(_host.SmtpPort, $"dashboard-{round}-{i}", [Mailbox])).Outcome);
            await browser.WaitUntilAsync($"Number(document.getElementById('chart-messages').dataset.points) > {points}", Deadline, "the next sample");
        }

        await SendBadRecipientAsync();
        await using var idle = await RawSmtpClient.ConnectAsync(_host.SmtpPort);
        await using var alsoIdle = await RawSmtpClient.ConnectAsync(_host.SmtpPort);

        // Assert
        await browser.WaitUntilAsync("Number(document.getElementById('chart-messages').dataset.peak) > 0", Deadline, "the chart to move");
        await browser.WaitUntilAsync("Number(document.getElementById('chart-sessions').dataset.last) === 2", Deadline, "two sessions open");
        await browser.WaitUntilAsync("document.querySelector(`#refusals tr[data-code='501']`)", Deadline, "the 501 among the refusals");
        await browser.WaitUntilAsync($"document.querySelector(`#shards [data-node='{_host.ClusterAddress}']`)", Deadline, "this node in the shard map");
        await _receiver.WaitForAcceptedAsync(18, Deadline);
        await browser.WaitUntilAsync("document.querySelector(`#webhooks tr[data-webhook='crm']`).textContent.includes('active') && " +
                                     "document.querySelector(`#webhooks tr[data-webhook='crm'] td.num`).textContent === '18'", Deadline, "the webhook's 18 deliveries");
        Assert.Equal(0, peakBefore);
        Assert.True(await ChartAsync(browser, "peak") > 0);
        await SaveScreenshotAsync(await browser.Page.ScreenshotDataAsync(new ScreenshotOptions { FullPage = true, Type = ScreenshotType.Png }));
    }

    /// <summary>What the messages chart draws, from its data-* attributes: points, peak or last.</summary>
    private static async Task<double> ChartAsync(HeadlessChromium browser, string figure) =>
        await browser.Page.EvaluateExpressionAsync<double>($"Number(document.getElementById('chart-messages').dataset.{figure})");

    private async Task SendBadRecipientAsync()
    {
        await using var client = await RawSmtpClient.ConnectAsync(_host.SmtpPort);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.SendAsync("EHLO client.test\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        await client.SendAsync("MAIL FROM:<sender@example.org>\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        await client.SendAsync("RCPT TO:<no-address-here>\r\n");
        Assert.StartsWith("501", await client.ReadReplyAsync());
        await client.SendAsync("QUIT\r\n");
        Assert.StartsWith("221", await client.ReadReplyAsync());
    }

    private async Task SaveScreenshotAsync(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var saved = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
        await File.WriteAllBytesAsync(saved, png);
        output.WriteLine($"Screenshot: {saved} ({png.Length} bytes)");
        // Only on request: a test run must not change a tracked file.
        if (Environment.GetEnvironmentVariable("MAILINGEST_UPDATE_SCREENSHOT") != "1") return;
        var documented = Path.Combine(SourceTree.Root, "docs", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(documented)!);
        await File.WriteAllBytesAsync(documented, png);
        output.WriteLine($"docs/dashboard.md screenshot updated: {documented}");
    }
}
