using Microsoft.Data.Sqlite;

namespace MailIngest.Actors.Content;

/// <summary>Content store in an SQLite file of its own, beside the journal's.</summary>
public sealed class SqliteContentStore(string connectionString) : IContentStore
{
    // One writer at a time: SQLite allows one per file anyway, and waiting here is a queue, while colliding on
    // the file lock makes Microsoft.Data.Sqlite sleep before retrying.
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <inheritdoc />
    /// <remarks>An SQLite file serves one node, so there is nobody to wait for.</remarks>
    public Task<IAsyncDisposable> LockSchemaAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // WAL is a property of the file and sticks; it lets readers (admin API) run beside the journal's writer.
        // synchronous stays FULL (the default): a 250 depends on this commit surviving a power loss.
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS mail_content (
                content_key TEXT NOT NULL PRIMARY KEY,
                size INTEGER NOT NULL,
                body BLOB NOT NULL,
                created_at TEXT NOT NULL);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await InsertAsync(key, content, cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task InsertAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO mail_content (content_key, size, body, created_at)
            VALUES ($key, $size, zeroblob($size), $now) ON CONFLICT (content_key) DO NOTHING
            RETURNING rowid;
            """;
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$size", content.Length);
        insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
        var rowId = await insert.ExecuteScalarAsync(cancellationToken);
        if (rowId is long id)
        {
            // Streams the body into the reserved blob inside the same transaction: no full copy in memory,
            // and a crash before commit leaves no half-written row behind.
            await using var blob = new SqliteBlob(connection, "mail_content", "body", id);
            await content.CopyToAsync(blob, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT body FROM mail_content WHERE content_key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
