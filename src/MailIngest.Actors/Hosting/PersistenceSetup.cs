using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql;

namespace MailIngest.Actors.Hosting;

/// <summary>Akka.Persistence.Sql journal, snapshot store and read journal on the configured database.</summary>
public static class PersistenceSetup
{
    /// <summary>
    /// Journal and snapshot store settings as HOCON, without the plugin's defaults (also used by the actor
    /// specs' own actor systems).
    /// </summary>
    public static Config Config(StorageSpec storage)
    {
        var connection = Quote(storage.ConnectionString);
        var snapshots = Quote(storage.SnapshotConnectionString);
        var provider = Quote(storage.ProviderName);
        var reads = storage.ReadIsolation;
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                # The replay filter guards a replay against events of two writers of one persistence id. Sharding
                # keeps one writer per mailbox, and the filter cost an actor started and stopped per recovery, that
                # is per first message to an address.
                sql { class = "MailIngest.Actors.Persistence.BatchedRecoveryJournal, MailIngest.Actors", connection-string = {{connection}}, provider-name = {{provider}}, auto-initialize = true, parallelism = {{storage.JournalWriters}}, read-isolation-level = {{reads}}, replay-filter.mode = off }
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

    /// <summary>Adds the SQL journal and snapshot store; tables are created on first start.</summary>
    public static AkkaConfigurationBuilder AddMailIngestPersistence(this AkkaConfigurationBuilder builder, StorageSpec storage) =>
        builder
            .AddHocon(Config(storage), HoconAddMode.Prepend)
            // The plugin's defaults (SqlPersistence.DefaultConfiguration) are not loaded by themselves: without them the plugin class name is missing.
            .AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append);

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
