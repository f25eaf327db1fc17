using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>The host of <see cref="ClientLimitsTests"/>: loopback untrusted, small per-client limits.</summary>
public sealed class ClientLimitsNode : NodeFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["MailIngest__Smtp__TrustedNetworks__0"] = "198.51.100.0/24",
        ["MailIngest__Smtp__MaxConnectionsPerClient"] = "3",
        ["MailIngest__Smtp__MaxMessagesPerMinutePerClient"] = "4",
        ["MailIngest__Smtp__MaxSessionSeconds"] = "10",
        ["MailIngest__Smtp__MaxCommandsWithoutMail"] = "5",
    };
}
