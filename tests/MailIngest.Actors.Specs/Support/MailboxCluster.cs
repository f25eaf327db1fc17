using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using MailIngest.Actors.Content;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Specs.Support;

/// <summary>Forms a one-member cluster and starts the real mailbox shard region on it.</summary>
public static class MailboxCluster
{
    /// <summary>How long a spec waits for the member to be Up.</summary>
    public static readonly TimeSpan UpTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Joins <paramref name="system"/> to itself, waits for Up, then starts the "mailbox" region, whose mailboxes
    /// release the bodies of deleted messages in <paramref name="content"/> and keep to <paramref name="quota"/> (none by default).
    /// </summary>
    public static async Task<IActorRef> StartAsync(ActorSystem system, IContentStore content, MailboxQuota? quota = null)
    {
        var cluster = Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(UpTimeout);

        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system).WithStateStoreMode(StateStoreMode.DData);
        return await sharding.StartAsync(
            "mailbox",
            mailbox => MailboxActor.Props(mailbox, content, quota ?? MailboxQuota.None),
            settings,
            new MailboxMessageExtractor(10),
            sharding.DefaultShardAllocationStrategy(settings),
            StopMailbox.Instance);
    }

    /// <summary>A second, independent node on the same journal: a restart of the process, as far as storage goes.</summary>
    public static async Task<(ActorSystem System, IActorRef Region)> StartNodeAsync(string journalConnectionString, IContentStore content)
    {
        var system = ActorSystem.Create("mailingest-spec-node", SpecConfig.Setup(journalConnectionString));
        try
        {
            return (system, await StartAsync(system, content));
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }
}
