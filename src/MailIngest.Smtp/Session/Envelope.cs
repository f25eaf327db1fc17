namespace MailIngest.Smtp.Session;

/// <summary>A completed SMTP envelope (RFC 5321 §2.3.1).</summary>
/// <param name="ClientName">The HELO/EHLO argument.</param>
/// <param name="Esmtp">True when the client greeted with EHLO.</param>
/// <param name="Connection">The peer.</param>
/// <param name="ReversePath">The MAIL FROM address without brackets; empty for the null sender.</param>
/// <param name="Recipients">Accepted RCPT TO addresses in order, without duplicates.</param>
/// <param name="Body">BODY= parameter (RFC 6152).</param>
/// <param name="SmtpUtf8">SMTPUTF8 parameter given (RFC 6531).</param>
/// <param name="DeclaredSize">SIZE= parameter (RFC 1870), if given.</param>
public sealed record Envelope(
    string ClientName,
    bool Esmtp,
    ConnectionInfo Connection,
    string ReversePath,
    IReadOnlyList<MailboxAddress> Recipients,
    BodyType Body,
    bool SmtpUtf8,
    long? DeclaredSize);

/// <summary>BODY= values of RFC 6152.</summary>
public enum BodyType
{
    /// <summary>7BIT (also the default when BODY= is absent).</summary>
    SevenBit,
    /// <summary>8BITMIME.</summary>
    EightBitMime,
}
