using Npgsql;
using NpgsqlTypes;

namespace MailIngest.Actors.Content;

/// <summary>Content store in the PostgreSQL database that also holds the journal.</summary>
public sealed class PostgreSqlContentStore(NpgsqlDataSource dataSource) : IContentStore
{
    // Any fixed number: serializes CREATE TABLE between nodes starting at once, since IF NOT EXISTS alone
    // still races on the catalog's unique index in PostgreSQL.
    private const long SchemaLockId = 0x4D61696C496E67;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock({SchemaLockId});
            CREATE TABLE IF NOT EXISTS mail_content (
                content_key TEXT NOT NULL PRIMARY KEY,
                size BIGINT NOT NULL,
                body BYTEA NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO mail_content (content_key, size, body) VALUES ($1, $2, $3)
            ON CONFLICT (content_key) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = content.Length });
        // Npgsql streams a Stream parameter of known length instead of buffering it.
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = content });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT body FROM mail_content WHERE content_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <inheritdoc />
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
