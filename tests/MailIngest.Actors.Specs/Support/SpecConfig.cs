using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql;
using MailIngest.Actors.Hosting;
using MailIngest.Actors.Storage.Sqlite;

namespace MailIngest.Actors.Specs.Support;

/// <summary>
/// HOCON for a one-member cluster on loopback with the production serializer binding and the production
/// journal settings (<see cref="SqliteStorage"/>) on an SQLite file.
/// </summary>
public static class SpecConfig
{
    /// <summary>An actor system with nothing but the host's serializer binding.</summary>
    public static ActorSystemSetup Serialization => BootstrapSetup.Create().And(SerializationSetup.Setup);

    /// <summary>
    /// The cluster config of <see cref="Create"/> with the host's serializer binding, as one setup (the binding is
    /// registered through Akka.Hosting's serializer API in the host, so it is a setup here too, not HOCON).
    /// </summary>
    public static ActorSystemSetup Setup(string journalConnectionString) =>
        BootstrapSetup.Create().WithConfig(Create(journalConnectionString)).And(SerializationSetup.Setup);

    /// <summary>Config whose journal and snapshot store use <paramref name="journalConnectionString"/>.</summary>
    private static Config Create(string journalConnectionString) =>
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
            .WithFallback(new SqliteStorage(journalConnectionString, journalConnectionString, journalConnectionString).PersistenceConfig())
            // Not loaded by itself (as in PersistenceSetup): without it the plugin class name is missing.
            .WithFallback(SqlPersistence.DefaultConfiguration);
}
