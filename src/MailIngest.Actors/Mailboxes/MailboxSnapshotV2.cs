
namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Snapshot "mbx.snapshot.v2": the message count and the recent messages' marks, at most
/// <see cref="MailboxState.WindowSize"/> of them, so its size does not grow with the mailbox.
/// </summary>
public sealed record MailboxSnapshotV2(long Count, IReadOnlyList<DedupMark> Recent) : IMailIngestMessage;
