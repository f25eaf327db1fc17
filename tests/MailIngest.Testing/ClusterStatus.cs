using System.Text.Json;

namespace MailIngest.Testing;

/// <summary>The parts of a node's /status the cluster tests look at.</summary>
/// <param name="Node">This node's Akka address.</param>
/// <param name="Draining">True once the node started draining.</param>
/// <param name="Members">Every member this node knows, with status and reachability.</param>
/// <param name="ShardsByNode">Shard ids hosted per node address; empty when the statistics did not arrive.</param>
/// <param name="Oldest">The oldest Up member, which hosts the shard coordinator.</param>
/// <param name="WaitingOnMovingShard">Copies this node is sending again because their mailbox has not answered.</param>
/// <param name="LastMembershipChange">The last member or reachability event this node saw, e.g. "MemberRemoved akka.tcp://…".</param>
public sealed record ClusterStatus(
    string Node,
    bool Draining,
    IReadOnlyList<ClusterMember> Members,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ShardsByNode,
    string? Oldest,
    long WaitingOnMovingShard,
    string? LastMembershipChange)
{
    /// <summary>Reads and parses /status.</summary>
    public static async Task<ClusterStatus> ReadAsync(HostProcess host)
    {
        var json = await host.GetJsonAsync("/status");
        var members = json.GetProperty("members").EnumerateArray()
            .Select(member => new ClusterMember(
                member.GetProperty("address").GetString()!,
                member.GetProperty("status").GetString()!,
                member.GetProperty("reachable").GetBoolean()))
            .ToArray();
        var shards = json.GetProperty("shards");
        var byNode = shards.ValueKind == JsonValueKind.Array
            ? shards.EnumerateArray().ToDictionary(
                region => region.GetProperty("node").GetString()!,
                region => (IReadOnlyList<string>)region.GetProperty("shards").EnumerateArray().Select(id => id.GetString()!).ToArray())
            : new Dictionary<string, IReadOnlyList<string>>();
        var change = json.GetProperty("lastMembershipChange");
        return new ClusterStatus(
            json.GetProperty("node").GetString()!,
            json.GetProperty("draining").GetBoolean(),
            members,
            byNode,
            json.GetProperty("oldest").GetString(),
            json.GetProperty("delivery").GetProperty("waitingOnMovingShard").GetInt64(),
            change.ValueKind == JsonValueKind.Object ? change.GetProperty("event").GetString() : null);
    }

    /// <summary>Shards hosted by <paramref name="node"/>, empty when it hosts none.</summary>
    public IReadOnlyList<string> ShardsOf(HostProcess node) =>
        ShardsByNode.TryGetValue(node.ClusterAddress, out var shards) ? shards : [];

    /// <summary>Members that are Up and reachable.</summary>
    public IEnumerable<string> UpAndReachable => Members.Where(member => member is { Status: "Up", Reachable: true }).Select(member => member.Address);
}
