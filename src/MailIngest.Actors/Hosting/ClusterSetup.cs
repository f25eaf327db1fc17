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
        if (spec.Seeds.Count == 0)
        {
            // No seeds: a one-member cluster with itself. Works with port 0, where no seed address is known before start.
            builder.AddStartup((system, _) => Akka.Cluster.Cluster.Get(system).Join(Akka.Cluster.Cluster.Get(system).SelfAddress));
        }

        return builder;
    }
}
