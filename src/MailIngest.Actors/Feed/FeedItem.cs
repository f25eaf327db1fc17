using System.Text.Json.Serialization;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Feed;

/// <summary>
/// One stored copy as the feed and webhooks show it. <see cref="Cursor"/> is the copy's position in the journal's
/// global order: unique, increasing, the same on every node and after restarts.
/// </summary>
/// <param name="Cursor">Pass it back as "after" to read the copies stored after this one.</param>
/// <param name="Mailbox">The normalized recipient address whose copy this is.</param>
/// <param name="Id">Queue id of the message (shared by every recipient's copy).</param>
/// <param name="Envelope">SMTP envelope of this copy: reverse path and this recipient.</param>
/// <param name="RawPath">Admin API path of the raw message (trace fields and content as received).</param>
/// <param name="Filters">What each milter did (empty when none ran).</param>
/// <param name="Quarantined">A milter quarantined the message (webhooks skip it unless asked).</param>
/// <param name="Authentication">SPF, DKIM, DMARC and ARC verdicts; null when not evaluated.</param>
/// <param name="ContentKey">Where the content is in the content store; not shown.</param>
/// <param name="TraceHeaders">The trace fields in front of the content; not shown.</param>
public sealed record FeedItem(
    long Cursor,
    string Mailbox,
    string Id,
    string? MessageId,
    FeedEnvelope Envelope,
    string From,
    string To,
    string Subject,
    DateTimeOffset? Date,
    long Size,
    DateTimeOffset ReceivedAt,
    string RawPath,
    IReadOnlyList<FilterVerdictV1> Filters,
    bool Quarantined,
    AuthenticationV1? Authentication,
    [property: JsonIgnore] string ContentKey,
    [property: JsonIgnore] string TraceHeaders)
{
    /// <summary>The stored message at <paramref name="cursor"/> in <paramref name="mailbox"/>.</summary>
    public static FeedItem Of(long cursor, string mailbox, StoredMessageV1 message) => new(
        cursor,
        mailbox,
        message.Id,
        message.MessageId,
        new FeedEnvelope(FeedEnvelope.ReversePathOf(message.TraceHeaders), mailbox),
        message.From,
        message.To,
        message.Subject,
        message.Date,
        message.Size,
        message.ReceivedAt,
        MailboxRoutes.RawOf(mailbox, message.Id),
        message.Filters ?? [],
        message.Quarantined,
        message.Authentication,
        message.ContentKey,
        message.TraceHeaders);
}
