using Akka.Hosting;
using Akka.Persistence.Sql;

namespace MailIngest.Actors.Hosting;

/// <summary>Akka.Persistence.Sql journal and snapshot store on the configured database.</summary>
public static class PersistenceSetup
{
    /// <summary>Adds the SQL journal and snapshot store; tables are created on first start.</summary>
    public static AkkaConfigurationBuilder AddMailIngestPersistence(this AkkaConfigurationBuilder builder, StorageSpec storage)
    {
        var connection = Quote(storage.ConnectionString);
        var provider = Quote(storage.ProviderName);
        return builder
            .AddHocon($$"""
                akka.persistence {
                  journal {
                    plugin = "akka.persistence.journal.sql"
                    sql { connection-string = {{connection}}, provider-name = {{provider}}, auto-initialize = true, parallelism = {{storage.JournalWriters}} }
                  }
                  snapshot-store {
                    plugin = "akka.persistence.snapshot-store.sql"
                    sql { connection-string = {{connection}}, provider-name = {{provider}}, auto-initialize = true }
                  }
                }
                """, HoconAddMode.Prepend)
            // The plugin's defaults are not loaded by themselves (see AKKA-NOTES.md).
            .AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
