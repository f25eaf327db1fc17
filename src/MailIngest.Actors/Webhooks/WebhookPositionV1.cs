using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Webhooks;

/// <summary>
/// Journal event and snapshot "whk.position.v1": the webhook's receiver acknowledged every wanted copy up to and
/// including feed cursor <paramref name="Cursor"/>.
/// </summary>
public sealed record WebhookPositionV1(long Cursor) : IMailIngestMessage;
