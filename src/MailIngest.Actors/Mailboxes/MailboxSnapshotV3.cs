namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Snapshot "mbx.snapshot.v3": as <see cref="MailboxSnapshotV2"/>, plus the sequence number through which the mailbox
/// was emptied. The snapshot is where an emptying is recorded (see <see cref="ClearMailbox"/>).
/// </summary>
public sealed record MailboxSnapshotV3(long Count, long DeletedThrough, IReadOnlyList<DedupMark> Recent) : IMailIngestMessage;
