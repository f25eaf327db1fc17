using MailIngest.Testing;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// The guard that keeps every test's DNS on this machine: <see cref="HostProcess"/> refuses to start a host that
/// verifies mail unless each of its resolvers is a loopback address.
/// </summary>
public sealed class LoopbackDnsGuardTests
{
    [Theory]
    [InlineData("Record", null)]
    [InlineData("Enforce", "192.0.2.53:53")]
    [InlineData("Record", "[2001:db8::53]:53")]
    [InlineData("Record", "dns.example:53")]
    public void A_verifying_host_without_only_loopback_resolvers_is_refused(string mode, string? server)
    {
        var environment = new Dictionary<string, string?> { ["MailIngest__Authentication__Mode"] = mode };
        if (server is not null) environment["MailIngest__Dns__Servers__0"] = server;

        Assert.Throws<InvalidOperationException>(() => HostProcess.RequireLoopbackDns(environment));
        Assert.Throws<InvalidOperationException>(() => HostProcess.Start(Path.GetTempPath(), environment.ToDictionary(p => p.Key, p => p.Value!)));
    }

    [Theory]
    [InlineData("Off", null)]
    [InlineData("Record", "127.0.0.1:5353")]
    [InlineData("Enforce", "[::1]:5353")]
    public void Off_or_loopback_resolvers_pass(string mode, string? server)
    {
        var environment = new Dictionary<string, string?> { ["MailIngest__Authentication__Mode"] = mode };
        if (server is not null) environment["MailIngest__Dns__Servers__0"] = server;

        HostProcess.RequireLoopbackDns(environment);
    }
}
