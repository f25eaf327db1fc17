namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// A mailbox's recovered state: entries oldest first plus indexes by id and dedup key. Mutable but pure:
/// the actor is its only owner and applies events to it.
/// </summary>
public sealed class MailboxState
{
    private readonly List<MessageEntry> _entries = [];
    private readonly Dictionary<string, MessageEntry> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MessageEntry> _byDedupKey = new(StringComparer.Ordinal);

    /// <summary>Number of stored messages.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry already stored under the same dedup key, if any.</summary>
    public MessageEntry? FindDuplicate(MessageEntry candidate) =>
        _byDedupKey.GetValueOrDefault(candidate.DedupKey);

    /// <summary>Applies a persisted event.</summary>
    public void Apply(MessageStored stored)
    {
        var entry = stored.Entry;
        if (!_byDedupKey.TryAdd(entry.DedupKey, entry)) return;
        _byId[entry.Id] = entry;
        _entries.Add(entry);
    }

    /// <summary>Replaces the state with a snapshot.</summary>
    public void Restore(MailboxSnapshot snapshot)
    {
        _entries.Clear();
        _byId.Clear();
        _byDedupKey.Clear();
        foreach (var entry in snapshot.Entries) Apply(new MessageStored(entry));
    }

    /// <summary>The state as a snapshot.</summary>
    public MailboxSnapshot ToSnapshot() => new(_entries.ToArray());

    /// <summary>A page, newest first.</summary>
    public IReadOnlyList<MessageEntry> Page(int offset, int limit)
    {
        offset = Math.Max(0, offset);
        limit = Math.Max(0, limit);
        var result = new List<MessageEntry>(Math.Max(0, Math.Min(limit, _entries.Count - offset)));
        for (var i = _entries.Count - 1 - offset; i >= 0 && result.Count < limit; i--) result.Add(_entries[i]);
        return result;
    }

    /// <summary>The entry with this id, if stored.</summary>
    public MessageEntry? Find(string id) => _byId.GetValueOrDefault(id);
}
