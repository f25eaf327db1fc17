namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Snapshot "mbx.snapshot.v4": as <see cref="MailboxSnapshotV3"/>, plus the gaps above <paramref name="DeletedThrough"/>
/// (ascending: messages deleted alone, and the sequence numbers of <see cref="MessagesDeletedV1"/> events, which are no
/// messages) and <see cref="MailboxState.BytesAtMost"/>. Deletions are events; a snapshot only shortens recovery.
/// </summary>
public sealed record MailboxSnapshotV4(long Count, long DeletedThrough, IReadOnlyList<long> Deleted, long BytesAtMost, IReadOnlyList<DedupMark> Recent)
    : IMailIngestMessage;
