namespace MailIngest.Actors.Content;

/// <summary>
/// Message bodies stored once, keyed by content hash, in the journal's database (PostgreSQL) or beside it (SQLite).
/// Mailbox events carry only the key, so recovery never reads bodies.
/// </summary>
public interface IContentStore
{
    /// <summary>
    /// Holds the database-wide schema lock until disposed, so that nodes starting at once create tables one
    /// after another: PostgreSQL's CREATE TABLE IF NOT EXISTS still races on its catalog's unique index.
    /// </summary>
    Task<IAsyncDisposable> LockSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Creates the table if it does not exist; call it under <see cref="LockSchemaAsync"/>.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Durably stores <paramref name="content"/> under <paramref name="key"/> unless the key exists.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>The stored content, or null for an unknown key.</summary>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Throws unless the database answers a trivial query.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
