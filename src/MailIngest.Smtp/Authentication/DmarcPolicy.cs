namespace MailIngest.Smtp.Authentication;

/// <summary>
/// What a domain owner asks receivers to do with mail that fails DMARC (RFC 7489 §6.3, "p" and "sp").
/// Ordered from mildest to harshest: pct sampling steps a policy down one (§6.6.4).
/// </summary>
public enum DmarcPolicy
{
    /// <summary>Monitor only.</summary>
    None,

    /// <summary>Treat as suspicious (spam folder, closer scrutiny).</summary>
    Quarantine,

    /// <summary>Reject during the SMTP transaction.</summary>
    Reject,
}
