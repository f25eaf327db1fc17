using MailIngest.Smtp;

namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Smtp. The protocol's defaults are the core's (<see cref="SmtpOptions"/>).</summary>
public sealed class SmtpSettings
{
    private static readonly SmtpOptions Core = new();

    /// <summary>Address the SMTP listener binds to.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>SMTP port; 0 picks a free port (logged and shown in /status).</summary>
    public int Port { get; set; } = 2525;

    /// <summary>Name in the greeting and trace headers; defaults to the machine name.</summary>
    public string HostName { get; set; } = "";

    /// <summary>Domains accepted in RCPT TO; empty or "*" accepts any (a warning is logged).</summary>
    public string[] AcceptedDomains { get; set; } = [];

    /// <summary>Largest message in octets (SIZE).</summary>
    public long MaxMessageBytes { get; set; } = Core.MaxMessageBytes;

    /// <summary>Recipients per transaction.</summary>
    public int MaxRecipients { get; set; } = Core.MaxRecipients;

    /// <summary>Error replies before the session is closed with 421 4.7.0.</summary>
    public int MaxErrors { get; set; } = Core.MaxErrors;

    /// <summary>Seconds to wait for a command.</summary>
    public int CommandTimeoutSeconds { get; set; } = (int)Core.CommandTimeout.TotalSeconds;

    /// <summary>Seconds to wait between DATA blocks.</summary>
    public int DataTimeoutSeconds { get; set; } = (int)Core.DataBlockTimeout.TotalSeconds;

    /// <summary>Seconds to wait for every recipient's mailbox to confirm before answering 451.</summary>
    public int DeliveryTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Networks (CIDR) whose clients may see HELP STATUS; empty means loopback only. The default is applied
    /// in <see cref="NodeOptions"/>, not here, because the binder appends configured items to a non-empty default.
    /// </summary>
    public string[] TrustedNetworks { get; set; } = [];

    /// <summary>Connections this node serves at once; more get 421 4.7.0 at connect.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Connections one client address may hold at once (trusted networks exempt); more get 421 4.7.0.</summary>
    public int MaxConnectionsPerClient { get; set; } = 20;

    /// <summary>Transactions (MAIL) one client address may start per minute (trusted networks exempt); more get 450 4.7.1.</summary>
    public int MaxMessagesPerMinutePerClient { get; set; } = 600;

    /// <summary>Longest a connection may stay open, whatever it sends; then 421 4.4.2.</summary>
    public int MaxSessionSeconds { get; set; } = 1800;

    /// <summary>NOOP, RSET, VRFY, HELP, EHLO... allowed without a transaction; then 421 4.7.0.</summary>
    public int MaxCommandsWithoutMail { get; set; } = Core.MaxCommandsWithoutMail;

    /// <summary>
    /// Every connection starts with a PROXY protocol header (v1 or v2) from the load balancer in front; the address in
    /// it is the client's. Connections without a valid header are closed.
    /// </summary>
    public bool ProxyProtocol { get; set; }

    /// <summary>STARTTLS and the implicit-TLS listener.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>Seconds in-flight transactions get to finish when the node drains (SIGTERM).</summary>
    public int DrainGraceSeconds { get; set; } = 20;

    /// <summary>
    /// Seconds between SIGTERM and the drain during which /readyz answers 503 but the SMTP listener still takes
    /// connections, so a balancer that health-checks /readyz marks the node down before it refuses connections.
    /// </summary>
    public int DrainDelaySeconds { get; set; }
}
