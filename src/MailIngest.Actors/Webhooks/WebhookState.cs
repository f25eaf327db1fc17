namespace MailIngest.Actors.Webhooks;

/// <summary>What /status shows of one webhook.</summary>
/// <param name="State">"active", "retrying" (a copy failed and waits for its next attempt) or "paused".</param>
/// <param name="Position">Feed cursor of the last copy the receiver acknowledged (persisted).</param>
/// <param name="Delivered">Copies acknowledged since this webhook last started (on its current node).</param>
/// <param name="Failures">Failed attempts in a row at the copy after <paramref name="Position"/>.</param>
public sealed record WebhookState(
    string Name,
    string Url,
    string State,
    long Position,
    long Delivered,
    int Failures,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    DateTimeOffset? LastDeliveredAt,
    DateTimeOffset? NextAttemptAt);
