namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Mailbox to its retry ledger (always local, its child): may stored copy <paramref name="CopyId"/> absorb transaction
/// <paramref name="QueueId"/>'s identical copy? Answered with <see cref="RetryJudged"/>, after the claim is durable.
/// </summary>
public sealed record JudgeRetry(string CopyId, string QueueId);

/// <summary>The ledger's answer to <see cref="JudgeRetry"/>.</summary>
public sealed record RetryJudged(RetryVerdict Verdict);
