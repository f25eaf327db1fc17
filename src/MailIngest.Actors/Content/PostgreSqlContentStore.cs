using Npgsql;
using NpgsqlTypes;

namespace MailIngest.Actors.Content;

/// <summary>Content store in the PostgreSQL database that also holds the journal.</summary>
public sealed class PostgreSqlContentStore(NpgsqlDataSource dataSource) : IContentStore
{
    /// <inheritdoc />
    public async Task<IAsyncDisposable> LockSchemaAsync(CancellationToken cancellationToken) =>
        await PostgreSqlSchemaLock.AcquireAsync(dataSource, cancellationToken);

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS mail_content (
                content_key TEXT NOT NULL PRIMARY KEY,
                size BIGINT NOT NULL,
                body BYTEA NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            """);
        await command.ExecuteNonQueryAsync(cancellationToken);
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
