namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Snapshot "mbx.snapshot.v4": as <see cref="MailboxSnapshotV3"/>, plus the sequence numbers of the messages deleted one
/// by one (<see cref="DeleteMessage"/>) above <paramref name="DeletedThrough"/>, ascending, and
/// <see cref="MailboxState.BytesAtMost"/>.
/// </summary>
public sealed record MailboxSnapshotV4(long Count, long DeletedThrough, IReadOnlyList<long> Deleted, long BytesAtMost, IReadOnlyList<DedupMark> Recent)
    : IMailIngestMessage;
