using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>The host of <see cref="LimitsTests"/>: small size, recipient, error and idle limits, one accepted domain.</summary>
public sealed class LimitsNode : NodeFixture
{
    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["MailIngest__Smtp__MaxMessageBytes"] = "2048",
        ["MailIngest__Smtp__MaxRecipients"] = "2",
        ["MailIngest__Smtp__MaxErrors"] = "3",
        ["MailIngest__Smtp__CommandTimeoutSeconds"] = "4",
        ["MailIngest__Smtp__AcceptedDomains__0"] = "example.com",
    };
}
