using Akka.Configuration;
using Akka.Hosting;

namespace MailIngest.Actors.Hosting;

/// <summary>Binds <see cref="Serialization.IMailIngestMessage"/> to the MailIngest serializer.</summary>
public static class SerializationSetup
{
    /// <summary>The binding as HOCON (also used by the actor specs' own actor systems).</summary>
    public static readonly Config Config = ConfigurationFactory.ParseString("""
        akka.actor {
          serializers.mailingest = "MailIngest.Actors.Serialization.MailIngestSerializer, MailIngest.Actors"
          serialization-bindings { "MailIngest.Actors.Serialization.IMailIngestMessage, MailIngest.Actors" = mailingest }
          serialization-identifiers { "MailIngest.Actors.Serialization.MailIngestSerializer, MailIngest.Actors" = 4711 }
        }
        """);

    /// <summary>Adds the serializer binding.</summary>
    public static AkkaConfigurationBuilder AddMailIngestSerialization(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon(Config, HoconAddMode.Prepend);
}
