namespace MailIngest.Smtp.Parsing;

/// <summary>Why a MAIL FROM / RCPT TO argument was rejected.</summary>
internal enum PathParseStatus
{
    /// <summary>Parsed; the address still needs <see cref="MailboxSyntax.IsValid"/>, the parameters parsing.</summary>
    Ok,

    /// <summary>No "FROM:" / "TO:" keyword: 501 5.5.4.</summary>
    Syntax,

    /// <summary>No angle brackets or an unterminated path: 501 5.1.7 / 5.1.3.</summary>
    BadPath,
}
