using MailIngest.Testing;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// One generated corpus per test class (generating and verifying costs seconds of key generation and DNS timeouts):
/// its folder, its cases, the <see cref="LoopbackDnsServer"/> serving its zone, and the oracle's verdicts. A test that
/// sends the cases through MailIngest points the host's MailIngest:Dns:Servers at <see cref="Dns"/>.
/// </summary>
public sealed class OracleCorpusFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private LoopbackDnsServer? _dns;

    /// <summary>The corpus folder: zone.json, cases.json, verdicts.json and the .eml files.</summary>
    public string Directory => _directory.Path;

    public IReadOnlyList<OracleCase> Cases { get; private set; } = [];

    public LoopbackDnsServer Dns => _dns ?? throw new InvalidOperationException("Not initialized");

    public IReadOnlyDictionary<string, OracleVerdict> Verdicts { get; private set; } = new Dictionary<string, OracleVerdict>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Cases = await OracleCorpus.GenerateAsync(Directory);
        _dns = LoopbackDnsServer.Start(OracleCorpus.ZonePath(Directory));
        Verdicts = await OracleCorpus.VerifyAsync(Directory, _dns.EndPoint);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_dns is not null) await _dns.DisposeAsync();
        _directory.Dispose();
    }
}
