namespace MailIngest.Smtp;

/// <summary>Protocol limits and identity. Defaults follow RFC 5321 where it gives one.</summary>
public sealed record SmtpOptions
{
    /// <summary>Name in the greeting, 221 and trace headers.</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>Software version shown in the greeting.</summary>
    public string SoftwareVersion { get; init; } = "0.1.0";

    /// <summary>Largest message content accepted (SIZE advertised), in octets.</summary>
    public long MaxMessageBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>Recipients per transaction; more get 452 4.5.3.</summary>
    public int MaxRecipients { get; init; } = 100;

    /// <summary>Longest command line including CRLF; longer lines get 500 5.5.2.</summary>
    public int MaxCommandLineBytes { get; init; } = 1000;

    /// <summary>Errors (4xx/5xx replies to commands) before 421 4.7.0 and close.</summary>
    public int MaxErrors { get; init; } = 10;

    /// <summary>
    /// Commands other than MAIL, RCPT, DATA and QUIT (NOOP, RSET, VRFY, HELP, EHLO...) a client may send without
    /// starting a transaction; then 421 4.7.0 and close. Counting restarts at each accepted MAIL.
    /// </summary>
    public int MaxCommandsWithoutMail { get; init; } = 100;

    /// <summary>A certificate is configured: STARTTLS is offered.</summary>
    public bool TlsAvailable { get; init; }

    /// <summary>MAIL before STARTTLS gets 530 5.7.0 (ignored when TLS is not available).</summary>
    public bool TlsRequired { get; init; }

    /// <summary>
    /// Each new recipient that passed the session's own checks is put to the host (the milters' RCPT stage) before
    /// RCPT is answered: the session emits <see cref="Session.CheckRecipient"/> and reads nothing more until
    /// <see cref="Session.SmtpSession.RecipientChecked"/>.
    /// </summary>
    public bool CheckRecipients { get; init; }

    /// <summary>
    /// Each accepted MAIL is told to the host (<see cref="Session.SenderAccepted"/>), so that SPF runs while the rest
    /// of the transaction arrives (set when authentication is on).
    /// </summary>
    public bool AnnounceSenders { get; init; }

    /// <summary>Domains accepted in RCPT TO (case-insensitive); empty accepts any.</summary>
    public IReadOnlyList<string> AcceptedDomains { get; init; } = [];

    /// <summary>Timeout waiting for a command (RFC 5321 §4.5.3.2.7: 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout between DATA blocks (RFC 5321 §4.5.3.2.5: 3 minutes).</summary>
    public TimeSpan DataBlockTimeout { get; init; } = TimeSpan.FromMinutes(3);
}
