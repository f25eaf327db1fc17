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
}
