namespace MailIngest.Host.Configuration;

/// <summary>
/// The whole configuration, bound from the "MailIngest" section of appsettings.json and from environment
/// variables such as <c>MailIngest__Smtp__Port</c>. Property names are the configuration keys.
/// </summary>
public sealed class MailIngestSettings
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "MailIngest";

    /// <summary>SMTP listener and protocol limits.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Admin HTTP endpoint.</summary>
    public AdminSettings Admin { get; set; } = new();

    /// <summary>Journal, snapshot and content store.</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>How long messages are kept.</summary>
    public RetentionSettings Retention { get; set; } = new();

    /// <summary>How much one mailbox holds.</summary>
    public QuotaSettings Quota { get; set; } = new();

    /// <summary>Akka.NET cluster membership.</summary>
    public ClusterSettings Cluster { get; set; } = new();

    /// <summary>Receivers every stored copy (or a domain's copies) is POSTed to, signed, in feed order.</summary>
    public WebhookSettings[] Webhooks { get; set; } = [];

    /// <summary>SPF, DKIM, DMARC and ARC verification of every message.</summary>
    public AuthenticationSettings Authentication { get; set; } = new();

    /// <summary>The resolver authentication asks.</summary>
    public DnsSettings Dns { get; set; } = new();

    /// <summary>Content filters (milter protocol) every message passes, in order, before it is acknowledged.</summary>
    public MilterSettings[] Milters { get; set; } = [];
}
