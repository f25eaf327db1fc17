using Akka.Configuration;
using Akka.Persistence.Sql;
using MailIngest.Actors.Hosting;

namespace MailIngest.Actors.Specs.Support;

/// <summary>
/// HOCON for a one-member cluster on loopback with the production serializer binding and the production
/// journal settings (<see cref="PersistenceSetup"/>) on an SQLite file.
/// </summary>
public static class SpecConfig
{
    /// <summary>The serializer binding of the host, alone.</summary>
    public static Config Serialization => SerializationSetup.Config;

    /// <summary>Config whose journal and snapshot store use <paramref name="journalConnectionString"/>.</summary>
    public static Config Create(string journalConnectionString) =>
        ConfigurationFactory.ParseString("""
                akka {
                  loglevel = INFO
                  stdout-loglevel = WARNING
                  actor.provider = cluster
                  remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
                  cluster {
                    min-nr-of-members = 1
                    sharding.distributed-data.durable.keys = []
                  }
                  coordinated-shutdown.run-by-clr-shutdown-hook = off
                }
                """)
            .WithFallback(PersistenceSetup.Config(new StorageSpec(StorageSpec.Sqlite, journalConnectionString, journalConnectionString, journalConnectionString)))
            .WithFallback(Serialization)
            // Not loaded by itself (AKKA-NOTES.md): without it the plugin class name is missing.
            .WithFallback(SqlPersistence.DefaultConfiguration);
}
