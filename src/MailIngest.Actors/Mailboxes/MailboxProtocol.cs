
namespace MailIngest.Actors.Mailboxes;

/// <summary>Anything addressed to one mailbox entity; the entity id is the normalized address.</summary>
public interface IMailboxCommand : IMailIngestMessage
{
    /// <summary>Normalized recipient address (entity id).</summary>
    string Mailbox { get; }
}

/// <summary>Store a copy of a message in a mailbox; answered with <see cref="StoreMessageAck"/> once persisted.</summary>
public sealed record StoreMessage(string Mailbox, MessageCopy Copy) : IMailboxCommand;

/// <summary>
/// Transaction <paramref name="QueueId"/> answered 451: its copy in this mailbox, if one was stored, may absorb the
/// client's retry. Sent without an answer; a mark that is lost costs at most a duplicate, never a lost message.
/// </summary>
public sealed record DeferTransaction(string Mailbox, string QueueId) : IMailboxCommand;

/// <summary>The copy is durable. <paramref name="Duplicate"/>: an earlier copy with the same dedup key was already stored.</summary>
public sealed record StoreMessageAck(string Mailbox, string Id, bool Duplicate) : IMailIngestMessage;

/// <summary>A page of a mailbox, newest first.</summary>
public sealed record ListMessages(string Mailbox, int Offset, int Limit) : IMailboxCommand;

/// <summary>Answer to <see cref="ListMessages"/>: the stored messages of the page, read from the journal.</summary>
public sealed record MessageList(string Mailbox, long Total, IReadOnlyList<StoredMessageV1> Items) : IMailIngestMessage;

/// <summary>
/// Delete every message the mailbox holds now (the admin API's DELETE of a mailbox); answered with
/// <see cref="MessagesDeleted"/> once the deletion is durable.
/// </summary>
public sealed record ClearMailbox(string Mailbox) : IMailboxCommand;

/// <summary>
/// Delete the messages accepted before <paramref name="AcceptedBefore"/> (retention); answered with
/// <see cref="MessagesDeleted"/> once the deletion is durable.
/// </summary>
public sealed record ExpireMessages(string Mailbox, DateTimeOffset AcceptedBefore) : IMailboxCommand;

/// <summary>
/// Delete the one message with queue id <paramref name="Id"/> (the admin API's DELETE of a message); answered with
/// <see cref="MessagesDeleted"/> (1, or 0 when the mailbox has no such message) once the deletion is durable.
/// </summary>
public sealed record DeleteMessage(string Mailbox, string Id) : IMailboxCommand;

/// <summary>Answer to <see cref="ClearMailbox"/>, <see cref="ExpireMessages"/> and <see cref="DeleteMessage"/>: how many messages were deleted.</summary>
public sealed record MessagesDeleted(string Mailbox, long Removed) : IMailIngestMessage;

/// <summary>One message by queue id.</summary>
public sealed record GetMessage(string Mailbox, string Id) : IMailboxCommand;

/// <summary>Answer to <see cref="GetMessage"/>; <paramref name="Message"/> is null when the id is unknown.</summary>
public sealed record MessageLookup(string Mailbox, StoredMessageV1? Message) : IMailIngestMessage;
