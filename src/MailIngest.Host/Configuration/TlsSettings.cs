namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Smtp:Tls.</summary>
public sealed class TlsSettings
{
    /// <summary>PEM certificate (chain), e.g. a kubernetes.io/tls Secret's tls.crt; empty: no TLS, STARTTLS not offered.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM private key, e.g. tls.key.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>Implicit-TLS listener port (465 in production); absent: no such listener; 0 picks a free port.</summary>
    public int? ImplicitPort { get; set; }

    /// <summary>MAIL before STARTTLS gets 530 5.7.0.</summary>
    public bool Required { get; set; }
}
