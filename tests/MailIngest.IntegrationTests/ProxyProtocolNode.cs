using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>The host of <see cref="ProxyProtocolTests"/>: PROXY protocol on, one trusted network, one connection per client.</summary>
public sealed class ProxyProtocolNode : NodeFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["MailIngest__Smtp__ProxyProtocol"] = "true",
        ["MailIngest__Smtp__TrustedNetworks__0"] = "198.51.100.0/24",
        ["MailIngest__Smtp__MaxConnectionsPerClient"] = "1",
    };
}
