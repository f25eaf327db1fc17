using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Transport;

/// <summary>
/// The server certificate from a PEM pair (a Kubernetes <c>kubernetes.io/tls</c> Secret mount: tls.crt, tls.key),
/// reloaded when the files change (cert-manager renews them) without a restart: a handshake looks at the files'
/// write times at most every <see cref="RecheckInterval"/>. A pair that does not load (half written) leaves the
/// previous certificate in use until a later check succeeds.
/// </summary>
public sealed partial class TlsCertificateSource
{
    /// <summary>How often a handshake checks whether the files changed.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private SslServerAuthenticationOptions _options;
    private (DateTime Certificate, DateTime Key) _loadedVersion;
    private long _checkedAt;

    private TlsCertificateSource(string certificatePath, string keyPath, TimeProvider clock, ILogger log)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _clock = clock;
        _log = log;
        _loadedVersion = Version();
        _options = Load();
        _checkedAt = clock.GetTimestamp();
    }

    /// <summary>Loads the pair now; throws when it cannot be read (a start-up error, not something to run without).</summary>
    public static TlsCertificateSource Load(string certificatePath, string keyPath, TimeProvider clock, ILogger log) =>
        new(certificatePath, keyPath, clock, log);

    /// <summary>The subject of the certificate in use, for the log.</summary>
    public string Subject => _options.ServerCertificateContext!.TargetCertificate.Subject;

    /// <summary>Options for one handshake: TLS 1.2 or 1.3, the current certificate, no client certificate.</summary>
    public SslServerAuthenticationOptions ServerOptions()
    {
        lock (_gate)
        {
            if (_clock.GetElapsedTime(_checkedAt) >= RecheckInterval)
            {
                _checkedAt = _clock.GetTimestamp();
                ReloadIfChanged();
            }

            return _options;
        }
    }

    private void ReloadIfChanged()
    {
        var version = Version();
        if (version == _loadedVersion) return;
        try
        {
            _options = Load();
            _loadedVersion = version;
            LogReloaded(Subject, _options.ServerCertificateContext!.TargetCertificate.NotAfter);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            LogReloadFailed(error, _certificatePath);
        }
    }

    private (DateTime, DateTime) Version() => (File.GetLastWriteTimeUtc(_certificatePath), File.GetLastWriteTimeUtc(_keyPath));

    private SslServerAuthenticationOptions Load()
    {
        using var pem = X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
        // Re-imported so the private key is usable by the platform's TLS stack whatever the PEM held.
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS certificate reloaded: {Subject}, valid until {NotAfter:u}")]
    private partial void LogReloaded(string subject, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS certificate files {Path} changed but do not load; still using the previous certificate")]
    private partial void LogReloadFailed(Exception error, string path);
}
