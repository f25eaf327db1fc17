namespace MailIngest.Actors.Mailboxes;

/// <summary>Registry key for the mailbox shard region.</summary>
public sealed class MailboxRegion;
