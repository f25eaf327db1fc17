using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using MailIngest.Actors.Content;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Hosting;

/// <summary>Registers the mailbox shard region.</summary>
public static class MailboxShardingSetup
{
    /// <summary>Shard count: about ten per node at the largest cluster size we plan for.</summary>
    public const int MaxShards = 100;

    /// <summary>Adds the region; idle mailboxes passivate after <paramref name="passivateAfter"/>.</summary>
    public static AkkaConfigurationBuilder AddMailboxSharding(this AkkaConfigurationBuilder builder, TimeSpan passivateAfter) =>
        builder.WithShardRegion<MailboxRegion>(
            "mailbox",
            (_, _, resolver) => mailbox => MailboxActor.Props(mailbox, resolver.GetService<IContentStore>(),
                resolver.GetService<MailboxQuota>() ?? MailboxQuota.None),
            new MailboxMessageExtractor(MaxShards),
            new ShardOptions
            {
                // Coordinator state in distributed data, not the journal: nothing to recover after a full restart.
                StateStoreMode = StateStoreMode.DData,
                RememberEntities = false,
                PassivateIdleEntityAfter = passivateAfter,
                HandOffStopMessage = StopMailbox.Instance,
            });
}
