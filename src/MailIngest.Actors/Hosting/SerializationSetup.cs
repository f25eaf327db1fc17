using Akka.Hosting;

namespace MailIngest.Actors.Hosting;

/// <summary>Binds <see cref="Serialization.IMailIngestMessage"/> to the MailIngest serializer.</summary>
public static class SerializationSetup
{
    /// <summary>Adds the serializer binding.</summary>
    public static AkkaConfigurationBuilder AddMailIngestSerialization(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon("""
            akka.actor {
              serializers.mailingest = "MailIngest.Actors.Serialization.MailIngestSerializer, MailIngest.Actors"
              serialization-bindings { "MailIngest.Actors.Serialization.IMailIngestMessage, MailIngest.Actors" = mailingest }
              serialization-identifiers { "MailIngest.Actors.Serialization.MailIngestSerializer, MailIngest.Actors" = 4711 }
            }
            """, HoconAddMode.Prepend);
}
