namespace MailIngest.Smtp.Session;

/// <summary>How the next input bytes are read.</summary>
internal enum InputMode
{
    /// <summary>Command lines.</summary>
    Command,

    /// <summary>Dropping the rest of an over-long command line up to its LF, then 500 5.5.2.</summary>
    DiscardLine,

    /// <summary>DATA content within limits.</summary>
    Data,

    /// <summary>DATA content past the cap: read to end of data, then 552 5.3.4.</summary>
    DataTooLarge,

    /// <summary>DATA content with a bare LF: read to end of data, then 550 5.5.2.</summary>
    DataBareLineFeed,

    /// <summary>The octets of an accepted BDAT chunk: counted, never parsed.</summary>
    Chunk,

    /// <summary>The octets of a refused BDAT chunk: counted and dropped, then the refusal is sent.</summary>
    SkipChunk,

    /// <summary>STARTTLS answered: input in the clear is dropped until the host reports TLS in place.</summary>
    AwaitingTls,

    /// <summary>A recipient is with the host (<see cref="CheckRecipient"/>); nothing is read until its answer.</summary>
    AwaitingRecipientCheck,

    /// <summary>End of data seen; nothing is read until the delivery outcome arrives.</summary>
    AwaitingDelivery,

    /// <summary>CloseConnection was emitted; input is swallowed.</summary>
    Closed,
}
