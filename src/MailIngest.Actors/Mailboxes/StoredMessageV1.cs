using System.Text.Json.Serialization;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// A stored message as the journal holds it (inside <see cref="MessageStoredV1"/>): a versioned contract. Its JSON
/// field names are fixed; rows written before this type existed also carry "attachmentCount", which is ignored.
/// Never change a field's meaning: add a V2 and keep reading V1. "filters" and "quarantined" were added later, written
/// only when a milter ran, so rows without them (every row of a node without milters) read as before; likewise
/// "authentication", written when the node verifies SPF/DKIM/DMARC/ARC (a row without it: not evaluated).
/// </summary>
public sealed record StoredMessageV1(
    string Id,
    string ContentKey,
    string DedupKey,
    string TraceHeaders,
    string? MessageId,
    string From,
    string To,
    string Subject,
    DateTimeOffset? Date,
    long Size,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] IReadOnlyList<FilterVerdictV1>? Filters = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Quarantined = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] AuthenticationV1? Authentication = null)
{
    /// <summary>The journal form of a delivered copy.</summary>
    public static StoredMessageV1 Of(MessageCopy copy) => new(
        copy.Id, copy.ContentKey, copy.DedupKey, copy.TraceHeaders, copy.MessageId, copy.From, copy.To, copy.Subject,
        copy.Date, copy.Size, copy.ReceivedAt, copy.Filters, copy.Quarantined, copy.Authentication);
}
