using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Webhooks;

/// <summary>Asks the webhook singleton for every webhook's state; answered with <see cref="WebhookStates"/>.</summary>
public sealed record GetWebhookStates : IMailIngestMessage;

/// <summary>Every configured webhook's state, in configuration order.</summary>
public sealed record WebhookStates(IReadOnlyList<WebhookState> Webhooks) : IMailIngestMessage;

/// <summary>Asks a paused webhook to try again now; answered with <see cref="ResumeWebhookResult"/>.</summary>
public sealed record ResumeWebhook(string Name) : IMailIngestMessage;

/// <summary>Whether a webhook of that name exists (and, if so, its state after the call).</summary>
public sealed record ResumeWebhookResult(WebhookState? Webhook) : IMailIngestMessage;
