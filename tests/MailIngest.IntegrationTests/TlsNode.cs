using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>The host of <see cref="TlsTests"/>: STARTTLS and an implicit TLS port, with a certificate a test may renew.</summary>
public sealed class TlsNode : NodeFixture
{
    private readonly TempDirectory _certificates = new();

    /// <summary>Writes the first certificate.</summary>
    public TlsNode() => FirstSubject = TestCertificate.Write(_certificates.Path, "first.mx.test");

    /// <summary>Where tls.crt and tls.key are.</summary>
    public string Certificates => _certificates.Path;

    /// <summary>The subject of the certificate the host started with.</summary>
    public string FirstSubject { get; }

    /// <summary>The implicit TLS (SMTPS) port.</summary>
    public int ImplicitPort { get; } = FreePort.Next();

    /// <summary>The settings that turn TLS on with the certificate in <paramref name="directory"/>.</summary>
    public static Dictionary<string, string> TlsSettings(string directory) => new()
    {
        ["MailIngest__Smtp__Tls__CertificatePath"] = TestCertificate.CertificatePath(directory),
        ["MailIngest__Smtp__Tls__KeyPath"] = TestCertificate.KeyPath(directory),
    };

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(TlsSettings(Certificates)) { ["MailIngest__Smtp__Tls__ImplicitPort"] = ImplicitPort.ToString() };

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _certificates.Dispose();
    }
}
