namespace MailIngest.Smtp.Milter;

/// <summary>What one filter did with a message, as every API reports it ("action").</summary>
public enum FilterAction
{
    /// <summary>Let it through (changes, if any, applied).</summary>
    Accept,

    /// <summary>Stored, marked quarantined, kept out of webhooks.</summary>
    Quarantine,

    /// <summary>250 to the client, nothing stored.</summary>
    Discard,

    /// <summary>Refused for now (4xx); the client retries.</summary>
    TempFail,

    /// <summary>Refused (5xx).</summary>
    Reject,
}
