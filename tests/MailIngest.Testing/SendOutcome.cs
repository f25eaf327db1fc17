namespace MailIngest.Testing;

/// <summary>How one SMTP transaction ended, seen from the client.</summary>
public enum SendOutcome
{
    /// <summary>250 after the end of DATA: the server took responsibility for the message.</summary>
    Acknowledged,
    /// <summary>A 4xx reply (451 deferral, 421 shutting down): the client keeps the message and retries later.</summary>
    Deferred,
    /// <summary>A 5xx reply: never expected from these tests' well-formed messages.</summary>
    Rejected,
    /// <summary>The TCP connection was refused (listener closed or process gone).</summary>
    Refused,
    /// <summary>The connection dropped or timed out before the final reply: outcome unknown to the client.</summary>
    Dropped,
}
