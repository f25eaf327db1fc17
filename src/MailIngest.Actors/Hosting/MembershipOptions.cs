namespace MailIngest.Actors.Hosting;

/// <summary>How this node joins the cluster.</summary>
/// <param name="HostName">Bind address for Akka.Remote.</param>
/// <param name="Port">Akka.Remote port; 0 picks a free one.</param>
/// <param name="PublicHostName">Name other nodes use for this node.</param>
/// <param name="Seeds">Seed addresses ("host:port" or akka.tcp URIs); empty: form a cluster alone.</param>
/// <param name="Failover">How fast a silent node is detected, downed and replaced.</param>
public sealed record MembershipOptions(string HostName, int Port, string PublicHostName, IReadOnlyList<string> Seeds, FailoverTiming Failover)
{
    /// <summary>The actor system name, part of every node address.</summary>
    public const string SystemName = "mailingest";

    /// <summary>Seeds as akka.tcp addresses.</summary>
    public IReadOnlyList<string> SeedAddresses =>
        Seeds.Select(seed => seed.Contains("://", StringComparison.Ordinal) ? seed : $"akka.tcp://{SystemName}@{seed}").ToArray();
}
