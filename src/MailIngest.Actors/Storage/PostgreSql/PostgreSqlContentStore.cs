using MailIngest.Actors.Content;
using MailIngest.Actors.Persistence;
using MailIngest.Actors.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace MailIngest.Actors.Storage.PostgreSql;

/// <summary>Content store in the PostgreSQL database that also holds the journal.</summary>
public sealed class PostgreSqlContentStore : IContentStore
{
    // A body stored already (the same message again, or another with the same content) only counts more copies.
    private const string Insert = """
        INSERT INTO mail_content (content_key, size, body, refs) VALUES ($1, $2, $3, $4)
        ON CONFLICT (content_key) DO UPDATE SET refs = mail_content.refs + EXCLUDED.refs
        """;

    private const string Release = """
        UPDATE mail_content SET refs = refs - $2 WHERE content_key = $1 AND refs IS NOT NULL
        """;

    private const string DeleteReleased = "DELETE FROM mail_content WHERE content_key = $1 AND refs <= 0";

    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit<ContentWrite> _writer;

    /// <summary>A store on the journal's database.</summary>
    public PostgreSqlContentStore(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _writer = new GroupCommit<ContentWrite>(CommitAsync, MailIngestMeter.ContentWriteSeconds, MailIngestMeter.ContentBatchSize);
    }

    /// <summary>Creates the table if it does not exist; nodes starting at once call it under the schema lock.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS mail_content (
                content_key TEXT NOT NULL PRIMARY KEY,
                size BIGINT NOT NULL,
                body BYTEA NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            ALTER TABLE mail_content ADD COLUMN IF NOT EXISTS refs BIGINT;
            """);
        // refs: copies that may refer to the body (IContentStore). NULL in rows stored before bodies were counted: those
        // are kept for good, as nothing says how many copies refer to them.
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, int references, CancellationToken cancellationToken) =>
        _writer.WriteAsync(new ContentWrite(key, content, references), cancellationToken);

    /// <inheritdoc />
    public async Task<int> ReleaseAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return 0;
        // One round trip, one implicit transaction: each key's count goes down, then the bodies at zero go.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var commands = new NpgsqlBatch(connection);
        var groups = keys.GroupBy(k => k, StringComparer.Ordinal).ToArray();
        foreach (var group in groups)
        {
            var release = new NpgsqlBatchCommand(Release);
            release.Parameters.Add(new NpgsqlParameter { Value = group.Key });
            release.Parameters.Add(new NpgsqlParameter { Value = (long)group.Count() });
            commands.BatchCommands.Add(release);
        }

        foreach (var group in groups)
        {
            var delete = new NpgsqlBatchCommand(DeleteReleased);
            delete.Parameters.Add(new NpgsqlParameter { Value = group.Key });
            commands.BatchCommands.Add(delete);
        }

        await commands.ExecuteNonQueryAsync(cancellationToken);
        var deleted = 0;
        for (var i = groups.Length; i < commands.BatchCommands.Count; i++) deleted += commands.BatchCommands[i].RecordsAffected;
        return deleted;
    }

    private async Task CommitAsync(IReadOnlyList<ContentWrite> batch)
    {
        // One round trip and one commit for the batch: statements sent together before one Sync run in one
        // implicit transaction.
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var commands = new NpgsqlBatch(connection);
        foreach (var write in batch)
        {
            write.Content.Position = 0;
            var command = new NpgsqlBatchCommand(Insert);
            command.Parameters.Add(new NpgsqlParameter { Value = write.Key });
            command.Parameters.Add(new NpgsqlParameter { Value = write.Content.Length });
            // Npgsql streams a Stream parameter of known length instead of buffering it.
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = write.Content });
            command.Parameters.Add(new NpgsqlParameter { Value = (long)write.References });
            commands.BatchCommands.Add(command);
        }

        await commands.ExecuteNonQueryAsync();
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT body FROM mail_content WHERE content_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
