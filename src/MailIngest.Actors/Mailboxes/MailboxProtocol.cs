using MailIngest.Actors.Serialization;

namespace MailIngest.Actors.Mailboxes;

/// <summary>Anything addressed to one mailbox entity; the entity id is the normalized address.</summary>
public interface IMailboxCommand : IMailIngestMessage
{
    /// <summary>Normalized recipient address (entity id).</summary>
    string Mailbox { get; }
}

/// <summary>Metadata of one stored message. The body lives in the content store under <see cref="ContentKey"/>.</summary>
/// <param name="Id">Queue id given at acceptance (shared by every recipient's copy).</param>
/// <param name="ContentKey">SHA-256 (hex) of the content as received; the content store key.</param>
/// <param name="DedupKey">Message-ID plus content hash: a retried copy with the same key is not stored twice.</param>
/// <param name="TraceHeaders">Return-Path and Received fields prepended to the content when read.</param>
/// <param name="Size">Content size in octets, without trace headers.</param>
public sealed record MessageEntry(
    string Id,
    string ContentKey,
    string DedupKey,
    string TraceHeaders,
    string? MessageId,
    string From,
    string To,
    string Subject,
    DateTimeOffset? Date,
    long Size,
    int AttachmentCount,
    DateTimeOffset ReceivedAt);

/// <summary>Store a message in a mailbox; answered with <see cref="StoreMessageAck"/> once persisted.</summary>
public sealed record StoreMessage(string Mailbox, MessageEntry Entry) : IMailboxCommand;

/// <summary>The entry is durable. <paramref name="Duplicate"/>: an earlier copy with the same dedup key was already stored.</summary>
public sealed record StoreMessageAck(string Mailbox, string Id, bool Duplicate) : IMailIngestMessage;

/// <summary>A page of a mailbox, newest first.</summary>
public sealed record ListMessages(string Mailbox, int Offset, int Limit) : IMailboxCommand;

/// <summary>Answer to <see cref="ListMessages"/>.</summary>
public sealed record MessageList(string Mailbox, int Total, IReadOnlyList<MessageEntry> Items) : IMailIngestMessage;

/// <summary>One message's metadata by id.</summary>
public sealed record GetMessage(string Mailbox, string Id) : IMailboxCommand;

/// <summary>Answer to <see cref="GetMessage"/>; <paramref name="Entry"/> is null when the id is unknown.</summary>
public sealed record MessageLookup(string Mailbox, MessageEntry? Entry) : IMailIngestMessage;

/// <summary>Journal event: a message was stored.</summary>
public sealed record MessageStored(MessageEntry Entry) : IMailIngestMessage;

/// <summary>Snapshot of a mailbox, oldest first.</summary>
public sealed record MailboxSnapshot(IReadOnlyList<MessageEntry> Entries) : IMailIngestMessage;
