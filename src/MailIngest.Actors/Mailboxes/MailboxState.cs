namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// What a mailbox keeps in memory to decide: its message count and the marks of its most recent messages (a
/// bounded window for deduplication and lookup by id). Older messages live only in the journal and are paged
/// from there, so memory and snapshot size do not grow with the mailbox. A mailbox whose oldest messages were deleted
/// (emptied, or expired) keeps counting sequence numbers and remembers through which one they were deleted: every
/// message at or below that is gone, so a sequence number stays a message's position. Above that point the gaps are
/// remembered by sequence number (messages deleted alone, and the deletions' own events, which are no messages) until
/// the deletion of the oldest reaches them. Mutable but pure: the actor is its only owner.
/// </summary>
public sealed class MailboxState
{
    /// <summary>
    /// Recent messages remembered. A retry after a 451 is recognised while fewer than this many other messages
    /// reached the mailbox meanwhile; a retry racing its original is recognised by the actor's in-flight set.
    /// </summary>
    public const int WindowSize = 2000;

    private readonly Queue<DedupMark> _window = new();
    private readonly Dictionary<string, DedupMark> _byDedupKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DedupMark> _byId = new(StringComparer.Ordinal);
    // The gaps above DeletedThrough: messages deleted one by one, and the numbers of deletion events.
    private readonly SortedSet<long> _deleted = [];

    /// <summary>The highest sequence number: of the newest message, or of a deletion recorded after it.</summary>
    public long Count { get; private set; }

    /// <summary>Sequence number through which messages were deleted; 0 when none was.</summary>
    public long DeletedThrough { get; private set; }

    /// <summary>
    /// At least the octets of the messages the mailbox holds now (as received): exact while only messages arrive or the
    /// mailbox is emptied; deleting the oldest ones leaves it high until a recount (<see cref="Recounted"/>), which the
    /// quota asks for before it calls a mailbox full. <see cref="long.MaxValue"/> when not known (a snapshot from before).
    /// </summary>
    public long BytesAtMost { get; private set; }

    /// <summary>True while <see cref="BytesAtMost"/> is the exact figure.</summary>
    public bool BytesExact { get; private set; } = true;

    /// <summary>Messages the mailbox holds now.</summary>
    public long Total => Count - DeletedThrough - _deleted.Count;

    /// <summary>Sequence number of the oldest message still in the window (Count + 1 when empty).</summary>
    public long WindowStart => _window.TryPeek(out var oldest) ? oldest.SequenceNr : Count + 1;

    /// <summary>The recent message with this dedup key, if any.</summary>
    public DedupMark? FindDuplicate(string dedupKey) => _byDedupKey.GetValueOrDefault(dedupKey);

    /// <summary>The recent message with this id, if any (deleted or not: a resend of it is still a resend).</summary>
    public DedupMark? FindRecent(string id) => _byId.GetValueOrDefault(id);

    /// <summary>True when the message at <paramref name="sequenceNr"/> was deleted (emptied, expired or deleted alone).</summary>
    public bool IsDeleted(long sequenceNr) => sequenceNr <= DeletedThrough || _deleted.Contains(sequenceNr);

    /// <summary>The gaps (messages deleted one by one, deletion events) among sequence numbers <paramref name="from"/>..<paramref name="to"/>.</summary>
    public IReadOnlySet<long> DeletedBetween(long from, long to) =>
        from > to ? new HashSet<long>() : _deleted.GetViewBetween(from, to).ToHashSet();

    /// <summary>
    /// Deletes the one message at <paramref name="sequenceNr"/>, of <paramref name="size"/> octets (null: not known here,
    /// as on a replay). Returns false when there is none or it already was.
    /// </summary>
    public bool DeleteOne(long sequenceNr, long? size)
    {
        if (sequenceNr < 1 || sequenceNr > Count || IsDeleted(sequenceNr)) return false;
        _deleted.Add(sequenceNr);
        Fold();
        if (Total == 0) (BytesAtMost, BytesExact) = (0, true);
        else if (size is not { } octets) BytesExact = false;
        else if (BytesAtMost != long.MaxValue) BytesAtMost = Math.Max(0, BytesAtMost - octets);
        return true;
    }

    /// <summary>
    /// Applies a recorded (or replayed) deletion at its sequence number, which is no message; <paramref name="size"/> is
    /// the octets of the message deleted alone when known. Returns how many messages it deleted.
    /// </summary>
    public long Apply(MessagesDeletedV1 deletion, long sequenceNr, long? size = null)
    {
        // Every number below the event's was given out, even when a replay did not see its row (deleted since).
        Count = Math.Max(Count, sequenceNr - 1);
        var removed = deletion.Through > 0 ? DeleteThrough(deletion.Through) : 0;
        if (deletion.Message > 0 && DeleteOne(deletion.Message, size)) removed++;
        Count = sequenceNr;
        _deleted.Add(sequenceNr);
        Fold();
        return removed;
    }

    /// <summary>
    /// A recount found <paramref name="bytes"/> octets in the messages it read; <paramref name="arrivedSince"/> came in
    /// while it read.
    /// </summary>
    public void Recounted(long bytes, long arrivedSince) => (BytesAtMost, BytesExact) = (bytes + arrivedSince, true);

    /// <summary>
    /// Deletes every message up to <paramref name="sequenceNr"/> (at most the newest): the oldest ones, as retention
    /// and emptying do. The marks stay for deduplication (a retry of a deleted message is still the same message).
    /// Returns how many messages were deleted; 0 when they already were.
    /// </summary>
    public long DeleteThrough(long sequenceNr)
    {
        var through = Math.Min(sequenceNr, Count);
        if (through <= DeletedThrough) return 0;
        var removed = through - DeletedThrough - _deleted.GetViewBetween(DeletedThrough + 1, through).Count;
        _deleted.RemoveWhere(deleted => deleted <= through);
        DeletedThrough = through;
        Fold();
        // The sizes of the oldest messages are in the journal, not here: until a recount, the figure stays high.
        (BytesAtMost, BytesExact) = Total == 0 ? (0, true) : (BytesAtMost, false);
        return removed;
    }

    // Messages deleted one by one right above the deleted oldest ones join them: the set holds only the gaps.
    private void Fold()
    {
        while (_deleted.Count > 0 && _deleted.Min == DeletedThrough + 1)
        {
            _deleted.Remove(DeletedThrough + 1);
            DeletedThrough++;
        }
    }

    /// <summary>Applies a persisted (or replayed) event at its sequence number.</summary>
    public void Apply(MessageStoredV1 stored, long sequenceNr)
    {
        Count = sequenceNr;
        BytesAtMost = BytesAtMost > long.MaxValue - stored.Entry.Size ? long.MaxValue : BytesAtMost + stored.Entry.Size;
        Remember(new DedupMark(stored.Entry.DedupKey, stored.Entry.Id, sequenceNr));
    }

    /// <summary>Replaces the state with a snapshot.</summary>
    public void Restore(MailboxSnapshotV4 snapshot)
    {
        Reset();
        Count = snapshot.Count;
        DeletedThrough = snapshot.DeletedThrough;
        BytesAtMost = snapshot.BytesAtMost;
        _deleted.UnionWith(snapshot.Deleted);
        // The snapshot does not say whether its figure was exact.
        BytesExact = Total == 0;
        foreach (var mark in snapshot.Recent) Remember(mark);
    }

    /// <summary>Replaces the state with a snapshot written before messages could be deleted one by one.</summary>
    public void Restore(MailboxSnapshotV3 snapshot) =>
        Restore(new MailboxSnapshotV4(snapshot.Count, snapshot.DeletedThrough, [], long.MaxValue, snapshot.Recent));

    /// <summary>Replaces the state with a snapshot written before mailboxes could be emptied.</summary>
    public void Restore(MailboxSnapshotV2 snapshot) => Restore(new MailboxSnapshotV4(snapshot.Count, 0, [], long.MaxValue, snapshot.Recent));

    /// <summary>Replaces the state with a snapshot written by an earlier version (every entry, oldest first).</summary>
    public void Restore(MailboxSnapshotV1 snapshot)
    {
        Reset();
        Count = snapshot.Entries.Count;
        BytesAtMost = snapshot.Entries.Sum(entry => entry.Size);
        BytesExact = true;
        for (var i = Math.Max(0, snapshot.Entries.Count - WindowSize); i < snapshot.Entries.Count; i++)
        {
            var entry = snapshot.Entries[i];
            Remember(new DedupMark(entry.DedupKey, entry.Id, i + 1));
        }
    }

    /// <summary>
    /// The state as a snapshot: at most <see cref="WindowSize"/> marks, and the gaps above the deleted oldest ones (8 bytes
    /// each, and only until the oldest are deleted through them).
    /// </summary>
    public MailboxSnapshotV4 ToSnapshot() => new(Count, DeletedThrough, _deleted.ToArray(), BytesAtMost, _window.ToArray());

    /// <summary>
    /// Sequence numbers of a page, newest first: <paramref name="offset"/> messages skipped from the newest, at
    /// most <paramref name="limit"/> taken; the gaps inside the range are not part of the page
    /// (<see cref="DeletedBetween"/>). Empty (From &gt; To) beyond the oldest message not deleted.
    /// </summary>
    public (long From, long To) Page(int offset, int limit)
    {
        var to = NthNewest(Math.Max(0, offset));
        var from = Math.Max(DeletedThrough + 1, NthNewest(Math.Max(0, offset) + (long)Math.Max(0, limit) - 1));
        return (from, to);
    }

    // The sequence number of the message that has n messages not deleted after it (DeletedThrough or below when none):
    // each gap at or above the candidate pushes it one further down.
    private long NthNewest(long n)
    {
        var candidate = Count - n;
        foreach (var gap in _deleted.Reverse())
        {
            if (gap < candidate) break;
            candidate--;
        }

        return candidate;
    }

    private void Remember(DedupMark mark)
    {
        _window.Enqueue(mark);
        _byDedupKey[mark.DedupKey] = mark;
        _byId[mark.Id] = mark;
        while (_window.Count > WindowSize)
        {
            var evicted = _window.Dequeue();
            // A later mark under the same key (a duplicate that slipped past an earlier window) stays.
            if (_byDedupKey.TryGetValue(evicted.DedupKey, out var current) && ReferenceEquals(current, evicted))
                _byDedupKey.Remove(evicted.DedupKey);
            if (_byId.TryGetValue(evicted.Id, out var byId) && ReferenceEquals(byId, evicted))
                _byId.Remove(evicted.Id);
        }
    }

    private void Reset()
    {
        _window.Clear();
        _byDedupKey.Clear();
        _byId.Clear();
        _deleted.Clear();
        BytesAtMost = 0;
        BytesExact = true;
        Count = 0;
        DeletedThrough = 0;
    }
}
