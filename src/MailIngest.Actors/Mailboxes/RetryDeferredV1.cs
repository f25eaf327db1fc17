namespace MailIngest.Actors.Mailboxes;

/// <summary>Journal event "rty.deferred.v1": the transaction with this queue id answered 451.</summary>
public sealed record RetryDeferredV1(string QueueId) : IMailIngestMessage;
