using Akka.Hosting;
using Akka.Persistence.Sql;
using MailIngest.Actors.Storage;

namespace MailIngest.Actors.Hosting;

/// <summary>Akka.Persistence.Sql journal, snapshot store and read journal on the configured database.</summary>
public static class PersistenceSetup
{
    /// <summary>Adds the SQL journal and snapshot store; tables are created on first start.</summary>
    public static AkkaConfigurationBuilder AddMailIngestPersistence(this AkkaConfigurationBuilder builder, StorageBackend storage) =>
        builder
            .AddHocon(storage.PersistenceConfig(), HoconAddMode.Prepend)
            // The plugin's defaults (SqlPersistence.DefaultConfiguration) are not loaded by themselves: without them the plugin class name is missing.
            .AddHocon(SqlPersistence.DefaultConfiguration, HoconAddMode.Append);
}
