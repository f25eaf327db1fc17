using MailIngest.Actors.Mailboxes;

namespace MailIngest.Host.Admin;

/// <summary>
/// A message as the list API shows it: what a reader needs, not what the journal keeps (content key, dedup key
/// and trace headers stay inside). "filters" says what each milter did (empty when none ran), "quarantined" whether
/// one quarantined it; "authentication" holds the SPF, DKIM, DMARC and ARC verdicts (null: not evaluated).
/// </summary>
public sealed record MessageListItem(
    string Id,
    string? MessageId,
    string From,
    string To,
    string Subject,
    DateTimeOffset? Date,
    long Size,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<FilterVerdictV1> Filters,
    bool Quarantined,
    AuthenticationV1? Authentication)
{
    /// <summary>The view of a stored message.</summary>
    public static MessageListItem Of(StoredMessageV1 message) => new(
        message.Id, message.MessageId, message.From, message.To, message.Subject, message.Date, message.Size, message.ReceivedAt,
        message.Filters ?? [], message.Quarantined, message.Authentication);
}
