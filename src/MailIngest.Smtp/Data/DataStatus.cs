namespace MailIngest.Smtp.Data;

/// <summary>Whether the message being read can still be delivered.</summary>
internal enum DataStatus
{
    /// <summary>Within limits so far.</summary>
    Ok,

    /// <summary>Over the size cap: read on to end of data, then 552 5.3.4.</summary>
    TooLarge,

    /// <summary>A bare LF was seen: read on to end of data, then 550 5.5.2.</summary>
    BareLineFeed,
}
