using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace MailIngest.Actors.Hosting;

/// <summary>Remoting and cluster membership.</summary>
public static class ClusterSetup
{
    /// <summary>Adds remoting, clustering with keep-majority split-brain resolution, and joins the seeds (or itself).</summary>
    public static AkkaConfigurationBuilder AddMailIngestCluster(this AkkaConfigurationBuilder builder, MembershipOptions membership)
    {
        builder
            .WithRemoting(new RemoteOptions
            {
                HostName = membership.HostName,
                Port = membership.Port,
                PublicHostName = string.IsNullOrEmpty(membership.PublicHostName) ? null : membership.PublicHostName,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = membership.SeedAddresses.ToArray(),
                // Keep-majority: with a shared store, the minority side must stop writing rather than run on.
                SplitBrainResolver = new KeepMajorityOption(),
            });
        // Failover timing (why these values are safe, and what to use on Kubernetes: docs/cluster.md, "Failover"). A silent
        // node is unreachable after about interval + pause; the resolver downs it once membership has been stable
        // for stable-after; its shards and the coordinator restart elsewhere down-removal-margin after removal
        // (unset, the margin would be stable-after again). The gossip, leader and reaper ticks and the regions' retry
        // only decide how soon a decision already due is carried out, so they run often.
        // Heartbeats and gossip run on threads of their own: queued behind a busy thread pool (thousands of delivery
        // continuations while shards recover) a heartbeat was seen 1.8 s late, close to a false "unreachable".
        var failover = membership.Failover;
        builder.AddHocon($$"""
            mailingest.membership-dispatcher {
              type = Dispatcher
              executor = fork-join-executor
              fork-join-executor { parallelism-min = 2, parallelism-max = 2 }
            }
            akka.cluster {
              use-dispatcher = mailingest.membership-dispatcher
              failure-detector {
                heartbeat-interval = {{Millis(failover.HeartbeatInterval)}}
                acceptable-heartbeat-pause = {{Millis(failover.AcceptableHeartbeatPause)}}
                threshold = 8.0
              }
              split-brain-resolver.stable-after = {{Millis(failover.StableAfter)}}
              down-removal-margin = {{Millis(failover.DownRemovalMargin)}}
              gossip-interval = 500ms
              leader-actions-interval = 250ms
              unreachable-nodes-reaper-interval = 250ms
              sharding.retry-interval = 250ms
              # A rebalance waits for every region to acknowledge the hand-off. One that starts just before a node dies
              # (its death not yet detected) waits for the dead region until this timeout, and the shard's mail waits with
              # it: at the default 60 s, senders through surviving nodes hung for 30 s and got no answer. A hand-off takes
              # well under a second here; after 10 s the rebalance is given up and the shard stays where it was.
              sharding.handoff-timeout = 10s
            }
            # A mailbox listing page (up to 500 items, summary fields capped in MessageSummary) crosses nodes in one
            # frame; at the default 128 000 bytes a page of ~200 items was dropped and the read answered 503.
            akka.remote.dot-netty.tcp.maximum-frame-size = 4194304b
            # Remoting keeps threads of its own (heartbeats), but few: an idle fork-join thread spins (sched_yield) before it
            # sleeps, and under a CPU quota two such threads per node cost a quarter of the node's CPU in a 3-node cluster
            # (perf; docs/performance.md, "Scale-out"). One thread per two cores, at least one, at most four.
            akka.remote.default-remote-dispatcher {
              executor = fork-join-executor
              fork-join-executor { parallelism-min = 1, parallelism-factor = 0.5, parallelism-max = 4 }
            }
            """, HoconAddMode.Prepend);
        if (membership.Seeds.Count == 0)
        {
            // No seeds: a one-member cluster with itself. Works with port 0, where no seed address is known before start.
            builder.AddStartup((system, _) => Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress));
        }

        return builder;
    }

    private static string Millis(TimeSpan value) => $"{(long)value.TotalMilliseconds}ms";
}
