namespace MailIngest.Smtp.Parsing;

/// <summary>What <see cref="CommandLineReader.Read"/> found at the start of the input.</summary>
internal enum LineStatus
{
    /// <summary>No LF yet and still under the cap: consume nothing, feed again with more bytes.</summary>
    NeedMore,

    /// <summary>A line ended by CRLF.</summary>
    Complete,

    /// <summary>A line ended by LF alone; the caller rejects it (RFC 5321 §2.3.8).</summary>
    BareLineFeed,

    /// <summary>No LF within the cap: the line is too long and must be discarded up to its LF.</summary>
    TooLong,
}
