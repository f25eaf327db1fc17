namespace MailIngest.Actors.Mailboxes;

/// <summary>Snapshot "rty.snapshot.v1": the deferred queue ids and the claims, oldest first, each at most <see cref="RetryLedger.Capacity"/>.</summary>
public sealed record RetryLedgerSnapshotV1(IReadOnlyList<string> Deferred, IReadOnlyList<RetryClaimedV1> Claims) : IMailIngestMessage;
