using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using MailIngest.Actors.Feed;
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
                lifecycle = await LifecycleAsync(node, system, retention, quota, logs, aborted),
                webhooks = await WebhookEndpoints.StatesAsync(registry, aborted),
            });
        });
        return app;
    }

    /// <summary>
    /// What retention and quotas are doing: messages this node's sweeper expired, the age of the oldest message kept
    /// (cluster-wide: the first copy in the feed), what the database and this node's data directory take on disk, and
    /// the mailboxes this node knows to be full. A figure the database cannot give now is null, the reason logged.
    /// </summary>
    private static async Task<object> LifecycleAsync(NodeOptions node, ActorSystem system, RetentionCounters retention, QuotaBoard quota,
        ILoggerFactory logs, CancellationToken aborted)
    {
        var log = logs.CreateLogger(typeof(StatusEndpoints));
        async Task<long?> TryAsync(string what, Func<Task<long?>> read)
        {
            try
            {
                return await read();
            }
            catch (Exception error) when (!aborted.IsCancellationRequested)
            {
                log.LogWarning(error, "/status could not read {What}", what);
                return null;
            }
        }

        var data = new DirectoryInfo(Path.GetFullPath(node.Settings.Storage.DataDirectory));
        return new
        {
            expired = retention.Expired,
            oldestMessageAgeSeconds = await TryAsync("the oldest message", async () =>
                (await new MailFeed(system).ReadAsync(0, 1, FeedFilter.All, TimeSpan.Zero, aborted)).Items is [var oldest]
                    ? (long)(DateTimeOffset.UtcNow - oldest.ReceivedAt).TotalSeconds
                    : null),
            databaseBytes = await TryAsync("the database's size", async () => await node.Storage.DatabaseBytesAsync(aborted)),
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
