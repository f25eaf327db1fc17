namespace MailIngest.Actors.Content;

/// <summary>
/// Message bodies stored once, keyed by content hash, in the journal's database (PostgreSQL) or beside it (SQLite).
/// Mailbox events carry only the key, so recovery never reads bodies.
/// </summary>
public interface IContentStore
{
    /// <summary>Durably stores <paramref name="content"/> under <paramref name="key"/> unless the key exists.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>The stored content, or null for an unknown key.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Throws unless the database answers a trivial query.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
