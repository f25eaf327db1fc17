using MailIngest.Actors.Content;
using MailIngest.Actors.Persistence;
using MailIngest.Actors.Telemetry;
using Microsoft.Data.Sqlite;

namespace MailIngest.Actors.Storage.Sqlite;

/// <summary>Content store in an SQLite file of its own, beside the journal's.</summary>
public sealed class SqliteContentStore : IContentStore
{
    // Above this the body is streamed into a reserved blob instead of bound as one array.
    private const int InlineBodyLimit = 64 * 1024;
    private readonly string _connectionString;
    private readonly GroupCommit<ContentWrite> _writer;
    // Owned by the group-commit writer (one at a time, as SQLite allows one writer per file anyway); reopened
    // after a failed batch.
    private SqliteConnection? _writeConnection;

    /// <summary>A store on the file the connection string names.</summary>
    public SqliteContentStore(string connectionString)
    {
        _connectionString = connectionString;
        _writer = new GroupCommit<ContentWrite>(CommitAsync, MailIngestMeter.ContentWriteSeconds, MailIngestMeter.ContentBatchSize);
    }

    /// <summary>Creates the table if it does not exist.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // synchronous stays FULL (the default): a 250 depends on this commit surviving a power loss. The file's WAL
        // mode, which lets readers (admin API) run beside the writer, is SqliteStorage's, as for its other two files.
        // refs: copies that may refer to the body (IContentStore). NULL in rows stored before bodies were counted: those
        // are kept for good, as nothing says how many copies refer to them.
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS mail_content (
                content_key TEXT NOT NULL PRIMARY KEY,
                size INTEGER NOT NULL,
                body BLOB NOT NULL,
                created_at TEXT NOT NULL,
                refs INTEGER);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        command.CommandText = "SELECT count(*) FROM pragma_table_info('mail_content') WHERE name = 'refs'";
        if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
        {
            command.CommandText = "ALTER TABLE mail_content ADD COLUMN refs INTEGER";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, int references, CancellationToken cancellationToken) =>
        _writer.WriteAsync(new ContentWrite(key, content, references), cancellationToken);

    /// <inheritdoc />
    public async Task<int> ReleaseAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using var release = connection.CreateCommand();
        release.Transaction = transaction;
        release.CommandText = "UPDATE mail_content SET refs = refs - $count WHERE content_key = $key AND refs IS NOT NULL";
        var (key, count) = (release.Parameters.Add("$key", SqliteType.Text), release.Parameters.Add("$count", SqliteType.Integer));
        await using var delete = connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM mail_content WHERE content_key = $key AND refs <= 0";
        var deleteKey = delete.Parameters.Add("$key", SqliteType.Text);
        var deleted = 0;
        foreach (var group in keys.GroupBy(k => k, StringComparer.Ordinal))
        {
            (key.Value, count.Value, deleteKey.Value) = (group.Key, group.Count(), group.Key);
            await release.ExecuteNonQueryAsync(cancellationToken);
            deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private async Task CommitAsync(IReadOnlyList<ContentWrite> batch)
    {
        try
        {
            _writeConnection ??= await OpenAsync(CancellationToken.None);
            await using var transaction = _writeConnection.BeginTransaction();
            var now = DateTimeOffset.UtcNow.ToString("O");
            foreach (var write in batch) await InsertAsync(transaction, write, now);

            transaction.Commit();
        }
        catch
        {
            // A failed batch may leave the connection mid-transaction: start the next one on a fresh connection.
            if (_writeConnection is not null) await _writeConnection.DisposeAsync();
            _writeConnection = null;
            throw;
        }
    }

    private static async Task InsertAsync(SqliteTransaction transaction, ContentWrite write, string now)
    {
        var connection = transaction.Connection!;
        write.Content.Position = 0;
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.Parameters.AddWithValue("$key", write.Key);
        insert.Parameters.AddWithValue("$size", write.Content.Length);
        insert.Parameters.AddWithValue("$now", now);
        insert.Parameters.AddWithValue("$refs", write.References);
        if (write.Content.Length <= InlineBodyLimit)
        {
            var body = new byte[write.Content.Length];
            await write.Content.ReadExactlyAsync(body);
            // A body stored already (the same message again, or another with the same content) only counts more copies.
            insert.CommandText = """
                INSERT INTO mail_content (content_key, size, body, created_at, refs)
                VALUES ($key, $size, $body, $now, $refs) ON CONFLICT (content_key) DO UPDATE SET refs = refs + excluded.refs;
                """;
            insert.Parameters.AddWithValue("$body", body);
            await insert.ExecuteNonQueryAsync();
            return;
        }

        // A large body is streamed into a reserved blob after its row is inserted, so a body stored already is only
        // counted, first, and never written again.
        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "UPDATE mail_content SET refs = refs + $refs WHERE content_key = $key";
            count.Parameters.AddWithValue("$key", write.Key);
            count.Parameters.AddWithValue("$refs", write.References);
            if (await count.ExecuteNonQueryAsync() > 0) return;
        }

        insert.CommandText = """
            INSERT INTO mail_content (content_key, size, body, created_at, refs)
            VALUES ($key, $size, zeroblob($size), $now, $refs) ON CONFLICT (content_key) DO NOTHING
            RETURNING rowid;
            """;
        if (await insert.ExecuteScalarAsync() is long rowId)
        {
            // Streams a large body into the reserved blob inside the same transaction: no full copy in memory,
            // and a crash before commit leaves no half-written row behind.
            await using var blob = new SqliteBlob(connection, "mail_content", "body", rowId);
            await write.Content.CopyToAsync(blob);
        }
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
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
