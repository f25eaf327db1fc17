
namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Snapshot "mbx.snapshot.v1", written by earlier versions: every message, oldest first (entry i has sequence number
/// i + 1). Only read, and turned into the bounded state on recovery; new snapshots are <see cref="MailboxSnapshotV2"/>.
/// </summary>
public sealed record MailboxSnapshotV1(IReadOnlyList<StoredMessageV1> Entries) : IMailIngestMessage;
