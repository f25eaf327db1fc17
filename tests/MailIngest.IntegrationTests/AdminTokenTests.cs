using System.Net;
using System.Net.Http.Headers;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>MailIngest:Admin:Token on the real host: 401 without or with a wrong token, 200 with it; probes stay open.</summary>
public sealed class AdminTokenTests : IAsyncLifetime
{
    private const string Token = "s3cret-token-for-tests-6f1c";
    private readonly TempDirectory _data = new();
    private HostProcess _host = null!;

    public async Task InitializeAsync() => _host = await HostProcess.StartReadyAsync(_data.Path, new Dictionary<string, string>
    {
        ["MailIngest__Admin__Token"] = Token,
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
    }

    private async Task<HttpStatusCode> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _host.Admin.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync());
        }

        return response.StatusCode;
    }

    [Theory]
    [InlineData("/status", HttpStatusCode.OK)]
    [InlineData("/api/mailboxes/someone@example.com/messages", HttpStatusCode.NotFound)]
    public async Task Protected_paths_answer_401_without_or_with_a_wrong_token_and_their_own_answer_with_it(string path, HttpStatusCode answer)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(path, Token + "x"));
        Assert.Equal(answer, await GetAsync(path, Token));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probes_need_no_token(string path)
    {
        Assert.Equal(HttpStatusCode.OK, await GetAsync(path, null));
    }

    [Fact]
    public async Task Curl_with_the_bearer_token_reads_status_and_the_token_never_reaches_the_log()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("curl",
            ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", $"Authorization: Bearer {Token}", $"http://127.0.0.1:{_host.AdminPort}/status"]);

        Assert.Equal(0, exitCode);
        Assert.Equal("200", output.Trim());
        Assert.DoesNotContain(Token, _host.Output);
    }

    [Fact]
    public async Task An_admin_endpoint_off_loopback_without_a_token_is_warned_about()
    {
        using var data = new TempDirectory();
        await using var open = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Admin__BindAddress"] = "0.0.0.0",
        });

        Assert.Contains("without MailIngest:Admin:Token", open.Output);
        Assert.DoesNotContain("without MailIngest:Admin:Token", _host.Output);
    }
}
