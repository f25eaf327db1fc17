namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// What a mailbox must remember to tell a client's retry of a deferred transaction from a new message with the same
/// content: which transactions answered 451 (their copies here were never acknowledged) and which transaction each
/// absorbing copy now stands for. A copy may absorb a later identical copy only while the transaction it stands for
/// is deferred, so a message acknowledged with 250 is never merged into another. Bounded: the newest
/// <see cref="Capacity"/> of each. Mutable but pure: the ledger actor is its only owner.
/// </summary>
public sealed class RetryLedger
{
    /// <summary>
    /// Deferred transactions and claims remembered. A retry is recognised while fewer than this many other deferrals
    /// reached the mailbox meanwhile, far more than a client retries within the mailbox's dedup window.
    /// </summary>
    public const int Capacity = 1000;

    // Insertion order is age: the oldest entry is dropped first. Both are small and touched only on the retry path.
    private readonly OrderedDictionary<string, bool> _deferred = new(StringComparer.Ordinal);
    private readonly OrderedDictionary<string, string> _owners = new(StringComparer.Ordinal);

    /// <summary>Transaction <paramref name="queueId"/> answered 451: its copy in this mailbox, if any, was not acknowledged.</summary>
    public void Apply(RetryDeferredV1 deferred) => Remember(_deferred, deferred.QueueId, true);

    /// <summary>Copy <paramref name="claimed"/>'s CopyId now stands for transaction QueueId, whose own copy it absorbed.</summary>
    public void Apply(RetryClaimedV1 claimed) => Remember(_owners, claimed.CopyId, claimed.QueueId);

    /// <summary>
    /// Whether the stored copy <paramref name="copyId"/> may stand for transaction <paramref name="queueId"/>: it does
    /// already (a resend of an absorbed copy), or the transaction it stands for was deferred.
    /// </summary>
    public RetryVerdict Judge(string copyId, string queueId)
    {
        var owner = _owners.GetValueOrDefault(copyId, copyId);
        if (owner == queueId) return RetryVerdict.AlreadyClaimed;
        return _deferred.ContainsKey(owner) ? RetryVerdict.Claimable : RetryVerdict.Distinct;
    }

    /// <summary>The ledger as a snapshot, oldest first.</summary>
    public RetryLedgerSnapshotV1 ToSnapshot() => new(_deferred.Keys.ToArray(),
        _owners.Select(pair => new RetryClaimedV1(pair.Key, pair.Value)).ToArray());

    /// <summary>Replaces the ledger with a snapshot.</summary>
    public void Restore(RetryLedgerSnapshotV1 snapshot)
    {
        _deferred.Clear();
        _owners.Clear();
        foreach (var queueId in snapshot.Deferred) Apply(new RetryDeferredV1(queueId));
        foreach (var claim in snapshot.Claims) Apply(claim);
    }

    private static void Remember<TValue>(OrderedDictionary<string, TValue> entries, string key, TValue value)
    {
        entries.Remove(key);
        entries.Add(key, value);
        if (entries.Count > Capacity) entries.RemoveAt(0);
    }
}
