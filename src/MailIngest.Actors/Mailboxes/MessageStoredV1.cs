
namespace MailIngest.Actors.Mailboxes;

/// <summary>Journal event "mbx.stored.v1": one message stored in the mailbox; its sequence number is its position.</summary>
public sealed record MessageStoredV1(StoredMessageV1 Entry) : IMailIngestMessage;
