using Npgsql;

namespace MailIngest.Actors.Storage.PostgreSql;

/// <summary>A session-level PostgreSQL advisory lock held on a connection of its own until disposed.</summary>
public sealed class PostgreSqlSchemaLock : IAsyncDisposable
{
    // Any fixed number, the same on every node.
    private const long LockId = 0x4D61696C496E67;
    private readonly NpgsqlConnection _connection;

    private PostgreSqlSchemaLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>Waits for the lock.</summary>
    public static async Task<PostgreSqlSchemaLock> AcquireAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({LockId})", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new PostgreSqlSchemaLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockId})", _connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            // Closing the session releases the lock too, should the unlock itself have failed.
            await _connection.DisposeAsync();
        }
    }
}
