namespace MailIngest.Testing;

/// <summary>
/// Several host processes on loopback forming one Akka.NET cluster on a shared PostgreSQL database. The first three
/// nodes are the seeds of every node (as the chart lists its first three pods), so their cluster ports are chosen
/// before any starts, and a restarted seed finds the running cluster instead of forming one of its own. A node can
/// be restarted with its address, ports and data folder (a StatefulSet pod coming back).
/// </summary>
public sealed class HostCluster : IAsyncDisposable
{
    private const int SeedCount = 3;
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(60);
    private readonly List<HostProcess> _nodes = [];
    private readonly List<HostProcess> _started = [];
    private readonly List<TempDirectory> _directories = [];
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly int[] _seedPorts;

    private HostCluster(string connectionString, IReadOnlyDictionary<string, string> settings, int seeds)
    {
        _connectionString = connectionString;
        _settings = settings;
        _seedPorts = Enumerable.Range(0, seeds).Select(_ => FreePort.Next()).ToArray();
    }

    /// <summary>The current process of every node started so far (stopped or killed ones included), in start order.</summary>
    public IReadOnlyList<HostProcess> Nodes
    {
        get
        {
            lock (_nodes) return _nodes.ToArray();
        }
    }

    /// <summary>The nodes whose process still runs.</summary>
    public IReadOnlyList<HostProcess> Running => Nodes.Where(node => !node.HasExited).ToArray();

    /// <summary>SMTP ports of the running nodes.</summary>
    public int[] RunningSmtpPorts => Running.Select(node => node.SmtpPort).ToArray();

    /// <summary>Node <paramref name="index"/> in start order.</summary>
    public HostProcess this[int index] => Nodes[index];

    /// <summary>
    /// Starts <paramref name="count"/> nodes at once on the database, waits until every one is ready and sees
    /// all of them Up. <paramref name="settings"/> are extra environment variables for every node.
    /// </summary>
    public static async Task<HostCluster> StartAsync(string connectionString, int count, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new HostCluster(connectionString, settings ?? new Dictionary<string, string>(), Math.Min(count, SeedCount));
        try
        {
            for (var i = 0; i < count; i++) cluster.StartNode();
            await Task.WhenAll(cluster.Nodes.Select(node => node.WaitReadyAsync()));
            await cluster.WaitForMembersAsync(count, FormationTimeout);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more node, waits for it to be ready (member Up) and returns it.</summary>
    public async Task<HostProcess> AddNodeAsync()
    {
        var node = StartNode();
        await node.WaitReadyAsync();
        return node;
    }

    /// <summary>
    /// Starts node <paramref name="index"/> again after it exited (or was killed), on the same ports and data folder,
    /// so it comes back with the same cluster address; waits until it is ready.
    /// </summary>
    public async Task<HostProcess> RestartAsync(int index)
    {
        var previous = this[index];
        if (!previous.HasExited) throw new InvalidOperationException($"Node {index} ({previous.ClusterAddress}) still runs");
        var node = Launch(_directories[index].Path, previous.ClusterPort, previous.SmtpPort, previous.AdminPort);
        lock (_nodes) _nodes[index] = node;
        await node.WaitReadyAsync();
        return node;
    }

    /// <summary>
    /// What an orchestrator (a StatefulSet) does: starts again every node whose process has ended, until all run, are
    /// ready and see each other Up. A node the split-brain resolver downs shuts itself down, and the cluster heals only
    /// when something starts it again. On a machine loaded past its cores (CI runs the other test projects beside this
    /// one) a node that is just starting can answer heartbeats late enough to be downed, and the resolver downs the
    /// peer it flapped with too; such nodes are started again, up to <see cref="RecoveryRounds"/> rounds. A node that
    /// ended by itself for any other reason has crashed, and that fails. Returns the downed nodes it started again.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecoverAsync(TimeSpan timeout)
    {
        var downed = new List<string>();
        for (var round = 1; ; round++)
        {
            try
            {
                for (var index = 0; index < Nodes.Count; index++)
                {
                    if (!this[index].HasExited) continue;
                    if (this[index].WasDowned) downed.Add($"node {index} downed by the split-brain resolver, started again");
                    await RestartAsync(index);
                }

                await WaitForMembersAsync(Nodes.Count, timeout, failWhenOneExits: true);
                return downed;
            }
            catch (InvalidOperationException) when (round < RecoveryRounds && Nodes.All(node => !node.HasExited || node.WasDowned))
            {
                // A node was downed while the cluster recovered: start the round again.
            }
        }
    }

    /// <summary>How many times <see cref="RecoverAsync"/> starts downed nodes again before it gives up.</summary>
    public const int RecoveryRounds = 3;

    /// <summary>Waits until every running node's /status lists exactly <paramref name="count"/> members, all Up and reachable.</summary>
    public Task WaitForMembersAsync(int count, TimeSpan timeout) => WaitForMembersAsync(count, timeout, failWhenOneExits: false);

    private Task WaitForMembersAsync(int count, TimeSpan timeout, bool failWhenOneExits) =>
        Eventually.ValueAsync($"{count} members Up on every node",
            () =>
            {
                if (failWhenOneExits && Nodes.FirstOrDefault(node => node.HasExited) is { } gone)
                    throw new InvalidOperationException($"{gone.ClusterAddress} exited while the cluster recovered:\n{gone.Output}");
                return Task.WhenAll(Running.Select(ClusterStatus.ReadAsync));
            },
            views => views.All(view => view.Members.Count == count && view.UpAndReachable.Count() == count), timeout,
            views => string.Join("; ", views.Select(view =>
                $"{view.Node}: {string.Join(", ", view.Members.Select(member => $"{member.Address} {member.Status}{(member.Reachable ? "" : " unreachable")}"))}")),
            TimeSpan.FromMilliseconds(250));

    /// <summary>
    /// What the nodes (killed ones included) logged about mail they could not settle, for a failing test's output:
    /// MailIngest's warnings and errors, its waits on a mailbox that did not answer, and the journal's and sharding's
    /// warnings; at most <paramref name="perNode"/> lines of each process.
    /// </summary>
    public IEnumerable<string> Troubles(int perNode)
    {
        HostProcess[] started;
        lock (_nodes) started = _started.ToArray();
        return started.SelectMany(node => node.Output.Split('\n')
            .Where(line => TroubleMarks.Any(mark => line.Contains(mark, StringComparison.Ordinal)))
            .Take(perNode)
            .Select(line => $"[{node.ClusterPort}/{node.Pid}] {line}"));
    }

    private static readonly string[] TroubleMarks =
    [
        "fail: MailIngest", "warn: MailIngest.Actors", "MessageDelivery", "warn: Akka.Persistence", "fail: Akka.Persistence",
        "warn: Akka.Cluster.Sharding", "fail: Akka.Cluster.Sharding",
    ];

    /// <summary>
    /// Kills (SIGKILL) every node still running and removes their data folders. With MAILINGEST_TEST_LOGS set to a
    /// folder, each node's output is written there first (for CI failures).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var logs = Environment.GetEnvironmentVariable("MAILINGEST_TEST_LOGS");
        HostProcess[] started;
        lock (_nodes) started = _started.ToArray();
        foreach (var node in started)
        {
            await node.DisposeAsync();
            if (string.IsNullOrEmpty(logs)) continue;
            Directory.CreateDirectory(logs);
            await File.WriteAllTextAsync(Path.Combine(logs, $"node-{node.ClusterPort}-{node.Pid}.log"), node.Output);
        }

        foreach (var directory in _directories) directory.Dispose();
    }

    private HostProcess StartNode()
    {
        var data = new TempDirectory();
        _directories.Add(data);
        var index = Nodes.Count;
        var node = Launch(data.Path, index < _seedPorts.Length ? _seedPorts[index] : FreePort.Next());
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    private HostProcess Launch(string dataDirectory, int clusterPort, int? smtpPort = null, int? adminPort = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["MailIngest__Storage__Provider"] = "PostgreSql",
            ["MailIngest__Storage__ConnectionString"] = _connectionString,
            ["MailIngest__Cluster__HostName"] = "127.0.0.1",
            ["MailIngest__Smtp__DrainGraceSeconds"] = "5",
        };
        for (var i = 0; i < _seedPorts.Length; i++) settings[$"MailIngest__Cluster__Seeds__{i}"] = $"127.0.0.1:{_seedPorts[i]}";
        foreach (var (key, value) in _settings) settings[key] = value;
        var node = HostProcess.Start(dataDirectory, settings, smtpPort, adminPort, clusterPort);
        lock (_nodes) _started.Add(node);
        return node;
    }
}
