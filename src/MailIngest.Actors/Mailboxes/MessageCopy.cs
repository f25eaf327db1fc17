namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// What delivery hands a mailbox for one recipient: the message's metadata. The body lives in the content store
/// under <see cref="ContentKey"/>; every recipient's copy of a message shares it.
/// </summary>
/// <param name="Id">Queue id given at acceptance (shared by every recipient's copy).</param>
/// <param name="ContentKey">SHA-256 (hex) of the content as received; the content store key.</param>
/// <param name="DedupKey">Message-ID plus content hash: a retried copy with the same key is not stored twice.</param>
/// <param name="TraceHeaders">Return-Path and Received fields prepended to the content when read.</param>
/// <param name="Size">Content size in octets, without trace headers.</param>
/// <param name="Filters">What each milter did; null when no milter is configured.</param>
/// <param name="Quarantined">A milter quarantined the message: stored, marked, kept out of webhooks.</param>
/// <param name="Authentication">SPF, DKIM, DMARC and ARC verdicts; null when authentication is off.</param>
public sealed record MessageCopy(
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
    IReadOnlyList<FilterVerdictV1>? Filters = null,
    bool Quarantined = false,
    AuthenticationV1? Authentication = null);
