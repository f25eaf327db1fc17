using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

/// <summary>
/// Something the session asks its host to do, in order. The effects a session returns, and the objects in
/// that list, are valid until the next call into the same session, which reuses them: act on them or copy
/// them (<c>effect with { }</c>) first.
/// </summary>
public abstract record SmtpEffect;

/// <summary>Write this reply. Hosts may buffer replies and flush once per <see cref="SmtpSession.Feed"/> (RFC 2920).</summary>
public sealed record SendReply(SmtpReply Reply) : SmtpEffect
{
    /// <summary>The reply; the session reuses this object for a later reply on its next call.</summary>
    public SmtpReply Reply { get; internal set; } = Reply;
}

/// <summary>DATA was accepted (354 sent): open a spool for the message content.</summary>
public sealed record BeginMessage : SmtpEffect
{
    /// <summary>The single instance.</summary>
    public static readonly BeginMessage Instance = new();
}

/// <summary>Dot-unstuffed message content. The memory is a slice of the fed input: copy it before the next Feed.</summary>
public sealed record AppendMessage(ReadOnlyMemory<byte> Content) : SmtpEffect
{
    /// <summary>The content; the session reuses this object for later content on its next call.</summary>
    public ReadOnlyMemory<byte> Content { get; internal set; } = Content;
}

/// <summary>End of data was seen and the content is within limits: deliver, then call <see cref="SmtpSession.DeliveryCompleted"/>.</summary>
public sealed record EndMessage(Envelope Envelope) : SmtpEffect;

/// <summary>
/// RCPT named a recipient that passed the session's checks (only with <see cref="SmtpOptions.CheckRecipients"/>): ask the
/// milters, then call <see cref="SmtpSession.RecipientChecked"/>. <paramref name="Transaction"/> numbers the session's
/// transactions, so the host knows when one was abandoned (RSET, a new MAIL) and a new one began.
/// </summary>
/// <param name="Transaction">The transaction's number within the session, from 1.</param>
/// <param name="Envelope">The envelope so far: the recipients accepted before this one.</param>
/// <param name="Recipient">The recipient to check.</param>
public sealed record CheckRecipient(int Transaction, Envelope Envelope, MailboxAddress Recipient) : SmtpEffect;

/// <summary>
/// MAIL was accepted (only with <see cref="SmtpOptions.AnnounceSenders"/>): a check that needs only the envelope's
/// sender and client (SPF) can start now and be done by the end of data. Nothing waits for the host's answer.
/// </summary>
/// <param name="Envelope">The envelope so far: no recipient yet.</param>
public sealed record SenderAccepted(Envelope Envelope) : SmtpEffect;

/// <summary>
/// STARTTLS was accepted (220 sent): once that reply is flushed, negotiate TLS on the connection, then call
/// <see cref="SmtpSession.TlsStarted"/>; when negotiation fails, close. Nothing the client sent after STARTTLS
/// in the clear is fed again: the session consumed and dropped it (RFC 3207 §4.2, CVE-2011-0411).
/// </summary>
public sealed record StartTls : SmtpEffect
{
    /// <summary>The single instance.</summary>
    public static readonly StartTls Instance = new();
}

/// <summary>The spooled content must be dropped (too large, bare LF, aborted); the reply, if any, says why.</summary>
public sealed record DiscardMessage : SmtpEffect
{
    /// <summary>The single instance.</summary>
    public static readonly DiscardMessage Instance = new();
}

/// <summary>Close the connection after flushing the replies before it.</summary>
public sealed record CloseConnection : SmtpEffect
{
    /// <summary>The single instance.</summary>
    public static readonly CloseConnection Instance = new();
}
