namespace MailIngest.Smtp.Milter;

/// <summary>
/// What a message gets when its milter is down, times out or breaks the protocol (Postfix's milter_default_action):
/// refused for now (the default: nothing unfiltered gets in, and the client retries), let through unfiltered, or
/// refused for good.
/// </summary>
public enum MilterFailurePolicy
{
    /// <summary>451 4.7.1; the client retries.</summary>
    TempFail,

    /// <summary>As if the milter had accepted it.</summary>
    Accept,

    /// <summary>550 5.7.1.</summary>
    Reject,
}
