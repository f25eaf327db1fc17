using MailIngest.Actors.Feed;

namespace MailIngest.Actors.Webhooks;

/// <summary>The JSON body of one POST.</summary>
/// <param name="Webhook">The configured webhook's name.</param>
/// <param name="Copy">The copy, as the feed shows it (its cursor is its unique, increasing position).</param>
/// <param name="Raw">The raw message, base64, when it is no larger than the webhook's inline limit; else null (fetch <see cref="FeedItem.RawPath"/>).</param>
public sealed record WebhookPayload(string Webhook, FeedItem Copy, string? Raw);
