using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace MailIngest.Actors.Hosting;

/// <summary>Remoting and cluster membership.</summary>
public static class ClusterSetup
{
    /// <summary>Adds remoting, clustering with keep-majority split-brain resolution, and joins the seeds (or itself).</summary>
    public static AkkaConfigurationBuilder AddMailIngestCluster(this AkkaConfigurationBuilder builder, ClusterSpec spec)
    {
        builder
            .WithRemoting(new RemoteOptions
            {
                HostName = spec.HostName,
                Port = spec.Port,
                PublicHostName = string.IsNullOrEmpty(spec.PublicHostName) ? null : spec.PublicHostName,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = spec.SeedAddresses.ToArray(),
                // Keep-majority: with a shared store, the minority side must stop writing rather than run on.
                SplitBrainResolver = new KeepMajorityOption(),
            });
        // Failure detector (Akka's defaults, stated): a silent node is unreachable after about 4-5 s. SBR acts once
        // membership has been stable for 5 s instead of the default 20 s, so a crashed node's shards restart
        // elsewhere about 10 s after the crash rather than 25 s; its SMTP clients get 451 meanwhile.
        builder.AddHocon("""
            akka.cluster {
              failure-detector { heartbeat-interval = 1s, threshold = 8.0, acceptable-heartbeat-pause = 3s }
              split-brain-resolver.stable-after = 5s
            }
            """, HoconAddMode.Prepend);
        if (spec.Seeds.Count == 0)
        {
            // No seeds: a one-member cluster with itself. Works with port 0, where no seed address is known before start.
            builder.AddStartup((system, _) => Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress));
        }

        return builder;
    }
}
