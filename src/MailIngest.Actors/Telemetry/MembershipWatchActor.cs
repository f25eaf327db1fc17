using Akka.Actor;
using Akka.Cluster;

namespace MailIngest.Actors.Telemetry;

/// <summary>Subscribes to member and reachability events and records the latest in a <see cref="MembershipLog"/>.</summary>
public sealed class MembershipWatchActor : ReceiveActor
{
    /// <summary>Props for the watcher.</summary>
    public static Props Props(MembershipLog log, TimeProvider clock) => Akka.Actor.Props.Create(() => new MembershipWatchActor(log, clock));

    /// <summary>Creates the watcher.</summary>
    public MembershipWatchActor(MembershipLog log, TimeProvider clock)
    {
        Receive<ClusterEvent.IMemberEvent>(change => log.Record(new MembershipChange(clock.GetUtcNow(), $"{change.GetType().Name} {change.Member.Address}")));
        Receive<ClusterEvent.ReachabilityEvent>(change => log.Record(new MembershipChange(clock.GetUtcNow(), $"{change.GetType().Name} {change.Member.Address}")));
    }

    /// <inheritdoc />
    protected override void PreStart() =>
        // The members already Up arrive as events too: until something changes, /status shows when this node joined.
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    /// <inheritdoc />
    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
