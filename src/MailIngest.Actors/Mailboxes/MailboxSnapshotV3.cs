namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Snapshot "mbx.snapshot.v3": as <see cref="MailboxSnapshotV2"/>, plus the sequence number through which messages were
/// deleted (<see cref="ClearMailbox"/>, <see cref="ExpireMessages"/>). Read only: <see cref="MailboxSnapshotV4"/> replaced it.
/// </summary>
public sealed record MailboxSnapshotV3(long Count, long DeletedThrough, IReadOnlyList<DedupMark> Recent) : IMailIngestMessage;
