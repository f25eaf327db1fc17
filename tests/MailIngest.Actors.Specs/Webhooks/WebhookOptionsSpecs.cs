using System.Text;
using MailIngest.Actors.Webhooks;

namespace MailIngest.Actors.Specs.Webhooks;

/// <summary>The signature a receiver checks, the retry schedule, and what /status may show of a URL.</summary>
public sealed class WebhookOptionsSpecs
{
    private static WebhookOptions Spec(string url = "https://hooks.example/in") => new(
        "crm", new Uri(url), "whsec-test-0123456789", [], 5,
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(10), 1024);

    [Fact]
    public void The_signature_is_v1_and_the_hex_HMAC_SHA256_of_timestamp_dot_body()
    {
        // Computed independently with Python: hmac.new(secret, b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
        Assert.Equal("v1=ba8ec7f38c4e076a99176a1bf98ae9f2f3f4e18412b46a5913ddcf5685932c6a",
            WebhookSignature.Sign("whsec-test-0123456789", 1700000000, Encoding.UTF8.GetBytes("{\"a\":1}")));
    }

    [Fact]
    public void A_changed_body_timestamp_or_secret_changes_the_signature()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var signature = WebhookSignature.Sign("whsec-test-0123456789", 1700000000, body);

        Assert.NotEqual(signature, WebhookSignature.Sign("whsec-test-0123456789", 1700000000, Encoding.UTF8.GetBytes("{\"a\":2}")));
        Assert.NotEqual(signature, WebhookSignature.Sign("whsec-test-0123456789", 1700000001, body));
        Assert.NotEqual(signature, WebhookSignature.Sign("whsec-test-0123456780", 1700000000, body));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(500, 10)]
    public void Waits_double_after_each_failure_up_to_the_longest(int failures, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Spec().RetryAfter(failures));

    [Fact]
    public void The_shown_URL_leaves_out_credentials_and_the_query() =>
        Assert.Equal("https://hooks.example:8443/in", Spec("https://user:pass@hooks.example:8443/in?token=secret").DisplayUrl);
}
