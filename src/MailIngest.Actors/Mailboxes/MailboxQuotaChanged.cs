namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// A mailbox became full or has room again; published by the mailbox to every node's <see cref="QuotaBoard"/> (topic
/// <see cref="QuotaBoard.Topic"/>).
/// </summary>
public sealed record MailboxQuotaChanged(string Mailbox, bool Full) : IMailIngestMessage;
