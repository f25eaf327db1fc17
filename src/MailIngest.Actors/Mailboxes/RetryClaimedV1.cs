namespace MailIngest.Actors.Mailboxes;

/// <summary>Journal event "rty.claimed.v1": the stored copy <paramref name="CopyId"/> absorbed transaction <paramref name="QueueId"/>'s copy and now stands for it.</summary>
public sealed record RetryClaimedV1(string CopyId, string QueueId) : IMailIngestMessage;
