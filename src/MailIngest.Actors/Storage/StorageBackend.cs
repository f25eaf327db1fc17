using Akka.Actor;
using Akka.Configuration;
using MailIngest.Actors.Content;
using MailIngest.Actors.Persistence;

namespace MailIngest.Actors.Storage;

/// <summary>
/// One kind of database: where the journal, the snapshots and the content live, the persistence plugins' settings
/// for it, and what has to happen before the first write. The host chooses one (its configuration's
/// <c>Storage:Provider</c>); the rest of the node sees only this type and <see cref="IContentStore"/>.
/// </summary>
public abstract class StorageBackend : IAsyncDisposable
{
    // Generous: the journal's first start also creates its tables.
    private static readonly TimeSpan JournalStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>linq2db's provider name, as the persistence plugins take it; shown in /status.</summary>
    public abstract string ProviderName { get; }

    /// <summary>Message bodies, stored once per content hash.</summary>
    public abstract IContentStore Content { get; }

    /// <summary>ADO.NET connection string of the journal.</summary>
    protected abstract string JournalConnectionString { get; }

    /// <summary>ADO.NET connection string of the snapshot store.</summary>
    protected abstract string SnapshotConnectionString { get; }

    /// <summary>Journal writes the plugin runs at once.</summary>
    protected abstract int JournalWriters { get; }

    /// <summary>Isolation level of the plugins' reads (recovery, paging, the feed), in the plugin's spelling.</summary>
    protected abstract string ReadIsolation { get; }

    /// <summary>
    /// The journal, read journal and snapshot store settings as HOCON, without the plugin's defaults (the actor
    /// specs' own actor systems use it too).
    /// </summary>
    public Config PersistenceConfig()
    {
        var connection = Quote(JournalConnectionString);
        var snapshots = Quote(SnapshotConnectionString);
        var provider = Quote(ProviderName);
        var reads = ReadIsolation;
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                # The replay filter guards a replay against events of two writers of one persistence id. Sharding
                # keeps one writer per mailbox, and the filter cost an actor started and stopped per recovery, that
                # is per first message to an address.
                sql { class = "{{typeof(BatchedRecoveryJournal).FullName}}, {{typeof(BatchedRecoveryJournal).Assembly.GetName().Name}}", connection-string = {{connection}}, provider-name = {{provider}}, auto-initialize = true, parallelism = {{JournalWriters}}, read-isolation-level = {{reads}}, replay-filter.mode = off }
              }
              query.journal.sql {
                connection-string = {{connection}}, provider-name = {{provider}}, write-plugin = "akka.persistence.journal.sql", read-isolation-level = {{reads}}
                refresh-interval = 250ms
                # The feed's safety: rows are read only up to the first gap in "ordering" (a PostgreSQL insert that
                # took its number but has not committed). A gap still open after query-delay x max-tries is taken
                # for a rolled-back insert and passed. 500 ms x 60 = 30 s: longer than the journal's 10 s write
                # call-timeout, so a slow write is waited for; a real rollback holds the feed back 30 s at most.
                journal-sequence-retrieval { query-delay = 500ms, max-tries = 60 }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql { connection-string = {{snapshots}}, provider-name = {{provider}}, auto-initialize = true, read-isolation-level = {{reads}} }
              }
            }
            """);
    }

    /// <summary>
    /// Creates the content table, readies the files or the database, and starts the journal (which creates the
    /// journal and snapshot tables), all under the schema lock so that nodes starting at once do it one after another.
    /// </summary>
    public async Task PrepareAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        await using (await LockSchemaAsync(cancellationToken))
        {
            await PrepareTablesAsync(cancellationToken);
            await JournalProbe.RecoverAsync(system, JournalStartTimeout, cancellationToken);
        }
    }

    /// <summary>Octets the database takes on disk now (/status): the files, or what PostgreSQL says its database takes.</summary>
    public abstract Task<long> DatabaseBytesAsync(CancellationToken cancellationToken);

    /// <summary>Held while the node creates tables; released when disposed.</summary>
    protected abstract Task<IAsyncDisposable> LockSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Whatever must exist before the journal starts: the content table at least.</summary>
    protected abstract Task PrepareTablesAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
