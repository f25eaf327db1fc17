using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Telemetry;
using MailIngest.Host.Configuration;
using MailIngest.Host.Node;

namespace MailIngest.Host.Admin;

/// <summary>/status: node, members, shards and entities per node, SMTP counters, lifecycle figures, webhooks.</summary>
public static class StatusEndpoints
{
    private static readonly TimeSpan ShardStatsTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Maps /status.</summary>
    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", async (NodeOptions node, NodeState state, ActorSystem system,
            IRequiredActor<MailboxRegion> region, IActorRegistry registry, SmtpCounters counters, DeliveryCounters deliveries, MembershipLog membership, NodeStatusSource status,
            RetentionCounters retention, QuotaBoard quota, ILoggerFactory logs, CancellationToken aborted) =>
        {
            var cluster = Cluster.Get(system);
            var unreachable = cluster.State.Unreachable;
            return Results.Ok(new
            {
                node = cluster.SelfAddress.ToString(),
                version = NodeOptions.Version,
                uptimeSeconds = (long)status.Uptime.TotalSeconds,
                draining = state.Draining,
                endpoints = new
                {
                    smtp = state.SmtpEndpoint?.ToString(),
                    smtps = state.SmtpsEndpoint?.ToString(),
                    admin = state.AdminEndpoint?.ToString(),
                    cluster = cluster.SelfAddress.ToString(),
                },
                storage = node.Storage.ProviderName,
                // The oldest Up member hosts the shard coordinator: losing it is the slowest failover.
                oldest = cluster.State.Members.Where(member => member.Status == MemberStatus.Up)
                    .OrderBy(member => member, Member.AgeOrdering).FirstOrDefault()?.Address.ToString(),
                members = cluster.State.Members.Select(member => new
                {
                    address = member.Address.ToString(),
                    status = member.Status.ToString(),
                    roles = member.Roles,
                    reachable = !unreachable.Contains(member),
                }),
                lastMembershipChange = membership.Last is { } change ? new { at = change.At, @event = change.Event } : null,
                shards = await ShardsAsync(await region.GetAsync(aborted)),
                smtp = new
                {
                    sessionsNow = counters.SessionsNow,
                    sessionsTotal = counters.SessionsTotal,
                    accepted = counters.Accepted,
                    deferred = counters.Deferred,
                    rejected = counters.Rejected,
                    bytes = counters.Bytes,
                },
                delivery = new
                {
                    waitingOnMovingShard = deliveries.WaitingOnShard,
                    resends = deliveries.Resends,
                },
                lifecycle = await LifecycleAsync(node, retention, quota, logs, aborted),
                webhooks = await WebhookEndpoints.StatesAsync(registry, aborted),
            });
        });
        return app;
    }

    /// <summary>
    /// What retention and quotas are doing: messages this node's sweeper expired and the age of the oldest message it
    /// waits on (null unless the sweeper runs here), what the database and this node's data directory take on disk, and
    /// the mailboxes this node knows to be full. The database size is null when the database cannot give it now (the
    /// reason logged). Nothing here reads the feed: the read journal, once started, polls the journal for as long as the
    /// node runs (measured: 0.1-0.2 ms of CPU per message more under load), so /status must not be what starts it.
    /// </summary>
    private static async Task<object> LifecycleAsync(NodeOptions node, RetentionCounters retention, QuotaBoard quota,
        ILoggerFactory logs, CancellationToken aborted)
    {
        var log = logs.CreateLogger(typeof(StatusEndpoints));
        long? databaseBytes;
        try
        {
            databaseBytes = await node.Storage.DatabaseBytesAsync(aborted);
        }
        catch (Exception error) when (!aborted.IsCancellationRequested)
        {
            log.LogWarning(error, "/status could not read the database's size");
            databaseBytes = null;
        }

        var data = new DirectoryInfo(Path.GetFullPath(node.Settings.Storage.DataDirectory));
        return new
        {
            expired = retention.Expired,
            oldestWaitingAgeSeconds = retention.OldestWaiting is { } oldest ? (long?)(DateTimeOffset.UtcNow - oldest).TotalSeconds : null,
            databaseBytes,
            dataDirectoryBytes = data.Exists ? data.EnumerateFiles("*", SearchOption.AllDirectories).Sum(file => file.Length) : 0,
            fullMailboxes = quota.FullCount,
        };
    }

    private static async Task<object> ShardsAsync(IActorRef region)
    {
        try
        {
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(ShardStatsTimeout), ShardStatsTimeout + TimeSpan.FromSeconds(1));
            return stats.Regions.Select(pair => new
            {
                node = pair.Key.ToString(),
                shardCount = pair.Value.Stats.Count,
                entityCount = pair.Value.Stats.Values.Sum(),
                shards = pair.Value.Stats.Keys.OrderBy(id => id, StringComparer.Ordinal),
            }).ToArray();
        }
        catch (AskTimeoutException)
        {
            return new { error = "shard statistics did not arrive in time" };
        }
    }
}
