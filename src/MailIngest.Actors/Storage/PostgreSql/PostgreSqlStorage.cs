using MailIngest.Actors.Content;
using Npgsql;

namespace MailIngest.Actors.Storage.PostgreSql;

/// <summary>Storage a cluster shares: journal, snapshots and content in one PostgreSQL database.</summary>
public sealed class PostgreSqlStorage : StorageBackend
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlContentStore _content;

    /// <summary>Storage in the database <paramref name="connectionString"/> names; nothing connects before it is used.</summary>
    public PostgreSqlStorage(string connectionString)
    {
        JournalConnectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _content = new PostgreSqlContentStore(_dataSource);
    }

    /// <inheritdoc />
    public override string ProviderName => "PostgreSQL.15";

    /// <inheritdoc />
    public override IContentStore Content => _content;

    /// <inheritdoc />
    protected override string JournalConnectionString { get; }

    /// <inheritdoc />
    protected override string SnapshotConnectionString => JournalConnectionString;

    /// <inheritdoc />
    /// <remarks>PostgreSQL gains from several commits in flight (group commit): the plugin's default.</remarks>
    protected override int JournalWriters => 3;

    /// <inheritdoc />
    /// <remarks>The plugin's default.</remarks>
    protected override string ReadIsolation => "unspecified";

    /// <inheritdoc />
    /// <remarks>PostgreSQL's CREATE TABLE IF NOT EXISTS still races on its catalog's unique index.</remarks>
    protected override async Task<IAsyncDisposable> LockSchemaAsync(CancellationToken cancellationToken) =>
        await PostgreSqlSchemaLock.AcquireAsync(_dataSource, cancellationToken);

    /// <inheritdoc />
    protected override Task PrepareTablesAsync(CancellationToken cancellationToken) => _content.InitializeAsync(cancellationToken);

    /// <inheritdoc />
    public override async Task<long> DatabaseBytesAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT pg_database_size(current_database())");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
