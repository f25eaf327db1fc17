namespace MailIngest.Host.Configuration;

/// <summary>What MailIngest:Authentication:Mode asks for.</summary>
public enum AuthenticationMode
{
    /// <summary>No check, no DNS query; copies carry no verdict ("not evaluated").</summary>
    Off,

    /// <summary>Verify every message, record the verdicts, refuse nothing.</summary>
    Record,

    /// <summary>As Record, and a message DMARC says to reject (after pct) gets 550 5.7.1 and is not stored.</summary>
    Enforce,
}
