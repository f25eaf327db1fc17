namespace MailIngest.Smtp.Session;

/// <summary>
/// What one <see cref="SmtpSession.Feed"/> did: bytes consumed and effects in order. <see cref="Effects"/> is
/// the session's own list, valid until the next call into the session (see <see cref="SmtpEffect"/>).
/// </summary>
public readonly record struct FeedResult(int Consumed, IReadOnlyList<SmtpEffect> Effects);
