namespace MailIngest.Actors.Content;

/// <summary>
/// Message bodies stored once, keyed by content hash, in the journal's database (PostgreSQL) or beside it (SQLite).
/// Mailbox events carry only the key, so recovery never reads bodies. Each body counts the copies that may refer to
/// it; a body whose count falls to zero is deleted. The count may be too high (a copy that was never stored: a
/// deferred transaction, a duplicate), which keeps a body longer, never too low, which would lose one.
/// </summary>
public interface IContentStore
{
    /// <summary>
    /// Durably stores <paramref name="content"/> under <paramref name="key"/> unless the key exists, and counts
    /// <paramref name="references"/> more copies referring to it.
    /// </summary>
    Task PutAsync(string key, Stream content, int references, CancellationToken cancellationToken);

    /// <summary>
    /// One copy fewer refers to each of <paramref name="keys"/> (a key listed twice: two copies); bodies no copy refers
    /// to any more are deleted. Returns how many were.
    /// </summary>
    Task<int> ReleaseAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>The stored content, or null for an unknown key.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Throws unless the database answers a trivial query.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
