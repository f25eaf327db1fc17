namespace MailIngest.Smtp.Session;

/// <summary>A completed SMTP envelope (RFC 5321 §2.3.1).</summary>
/// <param name="ClientName">The HELO/EHLO argument.</param>
/// <param name="Esmtp">True when the client greeted with EHLO.</param>
/// <param name="Connection">The peer.</param>
/// <param name="ReversePath">The MAIL FROM address without brackets; empty for the null sender.</param>
/// <param name="Recipients">Accepted RCPT TO addresses in order, without duplicates.</param>
/// <param name="SmtpUtf8">SMTPUTF8 parameter given (RFC 6531).</param>
/// <param name="Tls">The TLS session the message came over; null in the clear.</param>
public sealed record Envelope(
    string ClientName,
    bool Esmtp,
    ConnectionInfo Connection,
    string ReversePath,
    IReadOnlyList<MailboxAddress> Recipients,
    bool SmtpUtf8,
    TlsDetails? Tls);
