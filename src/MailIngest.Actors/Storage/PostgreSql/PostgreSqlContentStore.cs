using MailIngest.Actors.Content;
using MailIngest.Actors.Persistence;
using MailIngest.Actors.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace MailIngest.Actors.Storage.PostgreSql;

/// <summary>Content store in the PostgreSQL database that also holds the journal.</summary>
public sealed class PostgreSqlContentStore : IContentStore
{
    private const string Insert = """
        INSERT INTO mail_content (content_key, size, body) VALUES ($1, $2, $3)
        ON CONFLICT (content_key) DO NOTHING
        """;

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
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) =>
        _writer.WriteAsync(new ContentWrite(key, content), cancellationToken);

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
