using Akka.Persistence.Sql;
using MailIngest.Actors.Specs.Support;
using MailIngest.Actors.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Storage;

/// <summary>
/// The SQLite backend's start on an empty directory: its three files exist afterwards, in write-ahead-log mode,
/// each holding its table, before any message arrives.
/// </summary>
public sealed class SqliteStorageSpecs : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly SpecDatabase _database;
    private readonly SqliteStorage _storage;

    /// <summary>Creates the spec on a fresh directory.</summary>
    public SqliteStorageSpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private SqliteStorageSpecs(SpecDatabase database, ITestOutputHelper output)
        : this(database, SqliteStorage.InDirectory(database.Directory, journalConnectionString: ""), output)
    {
    }

    private SqliteStorageSpecs(SpecDatabase database, SqliteStorage storage, ITestOutputHelper output)
        : base(storage.PersistenceConfig().WithFallback(SqlPersistence.DefaultConfiguration),
            "storage-spec", output)
    {
        _database = database;
        _storage = storage;
    }

    [Theory]
    [InlineData("mailingest.db", "journal")]
    [InlineData("snapshots.db", "snapshot")]
    [InlineData("content.db", "mail_content")]
    public async Task Prepare_leaves_each_file_in_WAL_mode_with_its_table(string file, string table)
    {
        // Act
        await _storage.PrepareAsync(Sys, CancellationToken.None);

        // Assert
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_database.Directory, file)};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        Assert.Equal(table, await ScalarAsync(connection, $"SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
    }

    /// <inheritdoc />
    public new void Dispose()
    {
        base.Dispose();
        _database.Dispose();
    }

    private static async Task<string?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }
}
