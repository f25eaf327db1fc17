namespace MailIngest.Smtp.Session;

/// <summary>What one <see cref="SmtpSession.Feed"/> did: bytes consumed and effects in order.</summary>
public readonly record struct FeedResult(int Consumed, IReadOnlyList<SmtpEffect> Effects);
