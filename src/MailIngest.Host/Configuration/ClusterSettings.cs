namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Cluster.</summary>
public sealed class ClusterSettings
{
    /// <summary>Address Akka.Remote binds to.</summary>
    public string HostName { get; set; } = "127.0.0.1";

    /// <summary>Akka.Remote port; 0 picks a free port.</summary>
    public int Port { get; set; } = 4053;

    /// <summary>Host name other nodes use to reach this one (pod DNS name); defaults to <see cref="HostName"/>.</summary>
    public string PublicHostName { get; set; } = "";

    /// <summary>Seed node addresses, "host:port" or full akka.tcp URIs; empty forms a cluster with itself.</summary>
    public string[] Seeds { get; set; } = [];

    /// <summary>How often each node sends a heartbeat to the nodes that monitor it.</summary>
    public int HeartbeatIntervalMilliseconds { get; set; } = 500;

    /// <summary>Heartbeat silence tolerated before a node is marked unreachable (GC pause, CPU throttling).</summary>
    public int AcceptableHeartbeatPauseMilliseconds { get; set; } = 2000;

    /// <summary>How long membership must stay unchanged before the split-brain resolver downs the unreachable side.</summary>
    public int StableAfterMilliseconds { get; set; } = 3000;

    /// <summary>Wait after a downed node is removed before its shards and the coordinator start elsewhere.</summary>
    public int DownRemovalMarginMilliseconds { get; set; } = 500;
}
