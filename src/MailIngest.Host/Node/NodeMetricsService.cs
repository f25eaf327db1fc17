using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Host.Node;

/// <summary>
/// Once the actor system runs, registers the node's gauges; then reads the shard region's state every
/// <see cref="Interval"/> into <see cref="ShardCounts"/>, so that a metrics scrape never waits for the region.
/// </summary>
public sealed class NodeMetricsService(
    ActorSystem system,
    IRequiredActor<MailboxRegion> region,
    SmtpCounters smtp,
    DeliveryCounters deliveries,
    ShardCounts counts,
    ILogger<NodeMetricsService> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shards = await region.GetAsync(stoppingToken);
        NodeGauges.Observe(system, smtp, deliveries, counts);
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var state = await shards.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Interval, stoppingToken);
                counts.Update(state.Shards.Count, state.Shards.Sum(shard => shard.EntityIds.Count));
            }
            catch (AskTimeoutException)
            {
                log.LogDebug("Shard region state did not arrive within {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
