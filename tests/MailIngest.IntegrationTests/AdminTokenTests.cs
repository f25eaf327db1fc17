using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>MailIngest:Admin:Token on the real host: 401 without or with a wrong token, 200 with it; probes stay open.</summary>
public sealed class AdminTokenTests : IClassFixture<AdminTokenNode>, IDisposable
{
    private const string Token = AdminTokenNode.Token;
    private const string Mailbox = AdminTokenNode.Mailbox;
    private const string MailboxPath = "/api/mailboxes/" + Mailbox + "/messages";
    private const string OpenWarning = "without MailIngest:Admin:Token: /api/ and /status are open to the network";
    private readonly HostProcess _host;

    // Carries no default Authorization header, unlike the host's own Admin client.
    private readonly HttpClient _client;

    public AdminTokenTests(AdminTokenNode node)
    {
        _host = node.Host;
        _client = new HttpClient { BaseAddress = _host.AdminAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpStatusCode> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("{\"error\":", await response.Content.ReadAsStringAsync());
        }

        return response.StatusCode;
    }

    [Theory]
    [InlineData("/status")]
    [InlineData(MailboxPath)]
    [InlineData("/api/dashboard")]
    [InlineData("/api/feed")]
    [InlineData("/api/webhooks")]
    public async Task Protected_path_answers_401_without_a_token(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, "Bearer "));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, $"Basic {Token}"));
    }

    [Theory]
    [InlineData("/status")]
    [InlineData(MailboxPath)]
    public async Task Protected_path_answers_401_with_a_wrong_token_of_the_same_or_another_length(string path)
    {
        var sameLength = "X" + Token[1..];
        Assert.Equal(Token.Length, sameLength.Length);

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, $"Bearer {sameLength}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, "Bearer wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, $"Bearer {Token}x"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, $"Bearer {Token[..^1]}"));
    }

    [Theory]
    [InlineData("/status")]
    [InlineData(MailboxPath)]
    [InlineData("/api/dashboard")]
    [InlineData("/api/feed")]
    [InlineData("/api/webhooks")]
    public async Task Protected_path_answers_200_with_the_token(string path)
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync(path, $"Bearer {Token}"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(path, $"bearer {Token}"));
    }

    [Fact]
    public async Task Deleting_and_erasing_answer_401_without_the_token_and_delete_nothing()
    {
        var id = (await _host.ListAsync(Mailbox)).First().GetProperty("id").GetString();
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Delete, $"{MailboxPath}/{id}"),
            new HttpRequestMessage(HttpMethod.Delete, $"/api/mailboxes/{Mailbox}"),
            new HttpRequestMessage(HttpMethod.Post, "/api/erasure") { Content = JsonContent.Create(new { address = Mailbox, includeSender = true }) },
        })
        {
            using (request)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer wrong");
                using var response = await _client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        Assert.Contains(await _host.ListAsync(Mailbox), item => item.GetProperty("id").GetString() == id);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probes_need_no_token(string path)
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync(path, null));
    }

    [Fact]
    public async Task Dashboard_page_needs_no_token_as_it_holds_no_data()
    {
        // The page asks for the token itself (see DashboardBrowserTests); what it fetches stays protected above.
        foreach (var path in new[] { "/", "/dashboard.js", "/dashboard.css" })
            Assert.Equal(HttpStatusCode.OK, await GetAsync(path, null));
    }

    [Fact]
    public async Task Test_helpers_send_the_token_of_the_host_they_started()
    {
        var status = await ClusterStatus.ReadAsync(_host);
        var message = await _host.SingleBySubjectAsync(Mailbox, AdminTokenNode.Subject);
        var raw = await _host.RawAsync(Mailbox, message.GetProperty("id").GetString()!);

        Assert.Equal(_host.ClusterAddress, status.Node);
        Assert.Contains($"Subject: {AdminTokenNode.Subject}", raw);
    }

    [Fact]
    public async Task Curl_with_the_bearer_token_reads_status_and_the_mailbox()
    {
        foreach (var path in new[] { "/status", MailboxPath })
        {
            var (exitCode, output) = await ExternalTool.RunAsync("curl",
                ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", $"Authorization: Bearer {Token}", new Uri(_host.AdminAddress, path).ToString()]);

            Assert.Equal(0, exitCode);
            Assert.Equal("200", output.Trim());
        }
    }

    [Fact]
    public async Task The_token_never_reaches_the_hosts_output()
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync("/status", $"Bearer {Token}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync("/status", $"Bearer {Token}x"));

        await _host.WaitForOutputAsync("MailIngest listening:", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(Token, _host.Output);
        Assert.DoesNotContain(OpenWarning, _host.Output);
    }

    [Fact]
    public async Task A_token_with_a_trailing_newline_stops_the_start_without_printing_it()
    {
        using var data = new TempDirectory();
        await using var host = HostProcess.Start(data.Path, new Dictionary<string, string> { [HostProcess.AdminTokenVariable] = Token + "\n" });

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("MailIngest:Admin:Token must not begin or end with whitespace", host.Output);
        Assert.DoesNotContain(Token, host.Output);
    }

    [Fact]
    public async Task An_admin_endpoint_off_loopback_without_a_token_is_warned_about()
    {
        using var data = new TempDirectory();
        await using var open = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Admin__BindAddress"] = "0.0.0.0",
        });

        await open.WaitForOutputAsync($"The admin endpoint listens on 0.0.0.0 {OpenWarning}", TimeSpan.FromSeconds(10));
    }
}
