using Akka.Cluster.Hosting;
using Akka.Hosting;
using MailIngest.Actors.Feed;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Retention;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Hosting;

/// <summary>Registers the retention singleton when some mail expires.</summary>
public static class RetentionSetup
{
    /// <summary>The singleton's name in the cluster.</summary>
    public const string SingletonName = "retention";

    /// <summary>Adds the sweeper for <paramref name="policy"/>; nothing when no mail expires.</summary>
    public static AkkaConfigurationBuilder AddRetention(this AkkaConfigurationBuilder builder, RetentionPolicy policy, RetentionCounters counters)
    {
        if (!policy.ExpiresAnything) return builder;
        return builder.WithSingleton<RetentionSweeper>(
            SingletonName,
            (system, registry, _) => RetentionSweeper.Props(policy, registry.Get<MailboxRegion>(), new MailFeed(system), TimeProvider.System, counters),
            new ClusterSingletonOptions { LogSingletonIdentificationFailure = false });
    }
}
