using MailIngest.Testing;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// A node that verifies every message against the oracle corpus's loopback DNS server (and no other), behind the
/// PROXY protocol so that a test can send from each case's client address. <see cref="Enforce"/> picks the mode.
/// </summary>
public abstract class AuthenticatingNode : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private HostProcess? _host;

    /// <summary>The corpus: cases, messages, zone, DNS server, the oracle's verdicts.</summary>
    public OracleCorpusFixture Corpus { get; } = new();

    /// <summary>The running host.</summary>
    public HostProcess Host => _host ?? throw new InvalidOperationException("The host has not started");

    /// <summary>Authentication:Mode Enforce instead of Record.</summary>
    protected abstract bool Enforce { get; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await Corpus.InitializeAsync();
        _host = await HostProcess.StartReadyAsync(_data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Authentication__Mode"] = Enforce ? "Enforce" : "Record",
            ["MailIngest__Dns__Servers__0"] = Corpus.Dns.EndPoint.ToString(),
            // The corpus has names that never answer; a short bound keeps those cases quick.
            ["MailIngest__Dns__TimeoutMilliseconds"] = "1000",
            ["MailIngest__Smtp__ProxyProtocol"] = "true",
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        await Corpus.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>Mode Record.</summary>
public sealed class RecordingNode : AuthenticatingNode
{
    /// <inheritdoc />
    protected override bool Enforce => false;
}

/// <summary>Mode Enforce.</summary>
public sealed class EnforcingNode : AuthenticatingNode
{
    /// <inheritdoc />
    protected override bool Enforce => true;
}
