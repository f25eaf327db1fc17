using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>The host of <see cref="AdminTokenTests"/>: an admin token set, and one message in <see cref="Mailbox"/>.</summary>
public sealed class AdminTokenNode : NodeFixture
{
    /// <summary>The admin token.</summary>
    public const string Token = "s3cret-token-for-tests-6f1c";

    /// <summary>The mailbox that holds the message.</summary>
    public const string Mailbox = "x@example.com";

    /// <summary>The message's subject.</summary>
    public const string Subject = "behind the token";

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { [HostProcess.AdminTokenVariable] = Token };

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var sent = await SmtpTransaction.SendAsync(Host.SmtpPort, Subject, [Mailbox]);
        Assert.Equal(SendOutcome.Acknowledged, sent.Outcome);
    }
}
