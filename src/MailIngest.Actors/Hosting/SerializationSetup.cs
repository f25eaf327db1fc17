using System.Collections.Immutable;
using Akka.Actor;
using Akka.Hosting;
using Akka.Serialization;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Serialization;

namespace MailIngest.Actors.Hosting;

/// <summary>Binds <see cref="IMailIngestMessage"/> to <see cref="MailIngestSerializer"/>.</summary>
public static class SerializationSetup
{
    private const string SerializerName = "mailingest";
    private static readonly Type[] BoundTypes = [typeof(IMailIngestMessage)];

    /// <summary>
    /// The same binding as an actor-system setup, for systems built without Akka.Hosting (the actor specs), so they
    /// serialize exactly as the host does.
    /// </summary>
    public static Akka.Serialization.SerializationSetup Setup { get; } = Akka.Serialization.SerializationSetup.Create(system =>
        ImmutableHashSet.Create(SerializerDetails.Create(SerializerName, Create(system), BoundTypes.ToImmutableHashSet())));

    /// <summary>Adds the binding through Akka.Hosting's serializer API.</summary>
    public static AkkaConfigurationBuilder AddMailIngestSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(SerializerName, BoundTypes, Create);

    private static MailIngestSerializer Create(ExtendedActorSystem system) => new(system);
}
