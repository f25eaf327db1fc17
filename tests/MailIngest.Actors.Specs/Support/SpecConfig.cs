using Akka.Configuration;
using Akka.Persistence.Sql;

namespace MailIngest.Actors.Specs.Support;

/// <summary>
/// HOCON for a one-member cluster on loopback with the SQL journal on a SQLite file, modelled on
/// Hosting/SerializationSetup.cs and Hosting/PersistenceSetup.cs.
/// </summary>
public static class SpecConfig
{
    /// <summary>linq2db's provider name for Microsoft.Data.Sqlite.</summary>
    public const string SqliteProvider = "SQLite.MS";

    /// <summary>The serializer binding of Hosting/SerializationSetup.cs, alone.</summary>
    public static Config Serialization => ConfigurationFactory.ParseString("""
        akka.actor {
          serializers.mailingest = "MailIngest.Actors.Serialization.MailIngestSerializer, MailIngest.Actors"
          serialization-bindings { "MailIngest.Actors.Serialization.IMailIngestMessage, MailIngest.Actors" = mailingest }
          serialization-identifiers { "MailIngest.Actors.Serialization.MailIngestSerializer, MailIngest.Actors" = 4711 }
        }
        """);

    /// <summary>Config whose journal and snapshot store use <paramref name="journalConnectionString"/>.</summary>
    public static Config Create(string journalConnectionString)
    {
        var connection = Quote(journalConnectionString);
        return ConfigurationFactory.ParseString($$"""
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
                  persistence {
                    journal {
                      plugin = "akka.persistence.journal.sql"
                      sql { connection-string = {{connection}}, provider-name = "{{SqliteProvider}}", auto-initialize = true }
                    }
                    snapshot-store {
                      plugin = "akka.persistence.snapshot-store.sql"
                      sql { connection-string = {{connection}}, provider-name = "{{SqliteProvider}}", auto-initialize = true }
                    }
                  }
                }
                """)
            .WithFallback(Serialization)
            // Not loaded by itself (AKKA-NOTES.md): without it the plugin class name is missing.
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
