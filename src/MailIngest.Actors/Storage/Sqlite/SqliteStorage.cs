using MailIngest.Actors.Content;
using Microsoft.Data.Sqlite;

namespace MailIngest.Actors.Storage.Sqlite;

/// <summary>
/// Embedded storage for one node: three SQLite files. SQLite allows one writer per file, so the content and the
/// snapshots have files of their own and their writers never wait for the journal's: a snapshot write holding the
/// journal file's lock made journal writes wait (Microsoft.Data.Sqlite sleeps on a busy file), seen as a p99 of
/// 140 ms from end of data to 250 against 28 ms without snapshots.
/// </summary>
public sealed class SqliteStorage : StorageBackend
{
    private readonly SqliteContentStore _content;
    private readonly string _contentConnectionString;

    /// <summary>Storage on three files, each named by its connection string.</summary>
    public SqliteStorage(string journalConnectionString, string snapshotConnectionString, string contentConnectionString)
    {
        JournalConnectionString = journalConnectionString;
        SnapshotConnectionString = snapshotConnectionString;
        _contentConnectionString = contentConnectionString;
        _content = new SqliteContentStore(contentConnectionString);
    }

    /// <summary>
    /// The files mailingest.db, snapshots.db and content.db in <paramref name="directory"/>; a non-empty
    /// <paramref name="journalConnectionString"/> names the journal's instead.
    /// </summary>
    public static SqliteStorage InDirectory(string directory, string journalConnectionString) => new(
        string.IsNullOrWhiteSpace(journalConnectionString) ? FileIn(directory, "mailingest.db") : journalConnectionString,
        FileIn(directory, "snapshots.db"),
        FileIn(directory, "content.db"));

    /// <inheritdoc />
    public override string ProviderName => "SQLite.MS";

    /// <inheritdoc />
    public override IContentStore Content => _content;

    /// <inheritdoc />
    protected override string JournalConnectionString { get; }

    /// <inheritdoc />
    protected override string SnapshotConnectionString { get; }

    /// <inheritdoc />
    /// <remarks>
    /// SQLite takes one writer per file; more only collide on its lock, and Microsoft.Data.Sqlite answers a busy
    /// database by sleeping before it retries.
    /// </remarks>
    protected override int JournalWriters => 1;

    /// <inheritdoc />
    /// <remarks>
    /// Microsoft.Data.Sqlite opens every other transaction with BEGIN IMMEDIATE, which takes the file's write lock: a
    /// mailbox recovering then waited for the journal writer and Microsoft.Data.Sqlite slept 150 ms per busy answer
    /// (measured: 137 msg/s with 100 000 mailboxes, p50 157 ms; with read-uncommitted 428 msg/s, p50 32 ms). Without
    /// a shared cache SQLite still reads only committed data.
    /// </remarks>
    protected override string ReadIsolation => "read-uncommitted";

    /// <inheritdoc />
    /// <remarks>A file serves one node, so there is nobody to wait for.</remarks>
    protected override Task<IAsyncDisposable> LockSchemaAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    /// <inheritdoc />
    protected override async Task PrepareTablesAsync(CancellationToken cancellationToken)
    {
        foreach (var file in new[] { _contentConnectionString, JournalConnectionString, SnapshotConnectionString })
            await SqliteWriteAheadLog.EnableAsync(file, cancellationToken);
        await _content.InitializeAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The three files with their write-ahead logs and shared-memory files.</remarks>
    public override Task<long> DatabaseBytesAsync(CancellationToken cancellationToken) => Task.FromResult(
        new[] { JournalConnectionString, SnapshotConnectionString, _contentConnectionString }
            .Select(connection => new SqliteConnectionStringBuilder(connection).DataSource)
            .SelectMany(file => new[] { file, file + "-wal", file + "-shm" })
            .Sum(file => new FileInfo(file) is { Exists: true } info ? info.Length : 0));

    private static string FileIn(string directory, string file) => $"Data Source={Path.Combine(directory, file)}";

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
