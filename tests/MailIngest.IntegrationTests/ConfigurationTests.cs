using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>Bad configuration stops the process at start with a message naming the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("MailIngest__Smtp__Port", "70000", "MailIngest:Smtp:Port")]
    [InlineData("MailIngest__Smtp__BindAddress", "not-an-ip", "MailIngest:Smtp:BindAddress")]
    [InlineData("MailIngest__Smtp__TrustedNetworks__0", "10.0.0.0/99", "MailIngest:Smtp:TrustedNetworks:0")]
    [InlineData("MailIngest__Smtp__AcceptedDomains__0", "not a domain", "MailIngest:Smtp:AcceptedDomains:0")]
    [InlineData("MailIngest__Cluster__Seeds__0", "seed-without-port", "MailIngest:Cluster:Seeds:0")]
    [InlineData("MailIngest__Storage__Provider", "Oracle", "MailIngest:Storage:Provider")]
    [InlineData("MailIngest__Smtp__MaxRecipients", "0", "MailIngest:Smtp:MaxRecipients")]
    [InlineData("MailIngest__Smtp__Prot", "25", "Prot")]
    [InlineData("MailIngest__Webhooks__0__Url", "ftp://hooks.example/in", "MailIngest:Webhooks:0:Url")]
    [InlineData("MailIngest__Webhooks__0__Secret", "too-short", "MailIngest:Webhooks:0:Secret")]
    [InlineData("MailIngest__Webhooks__0__Domains__0", "not a domain", "MailIngest:Webhooks:0:Domains:0")]
    [InlineData("MailIngest__Webhooks__0__MaxAttempts", "0", "MailIngest:Webhooks:0:MaxAttempts")]
    public async Task Bad_value_exits_with_code_2_naming_the_key(string variable, string value, string named)
    {
        using var data = new TempDirectory();
        await using var host = HostProcess.Start(data.Path, new Dictionary<string, string> { [variable] = value });

        var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(named, host.Output);
    }
}
