namespace MailIngest.Smtp.Authentication;

/// <summary>How closely an authenticated domain must match the RFC5322.From domain (RFC 7489 §3.1, "adkim" and "aspf").</summary>
public enum DmarcAlignment
{
    /// <summary>The same Organizational Domain is enough (the default).</summary>
    Relaxed,

    /// <summary>The very same domain.</summary>
    Strict,
}
