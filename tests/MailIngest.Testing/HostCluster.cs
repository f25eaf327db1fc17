namespace MailIngest.Testing;

/// <summary>
/// Several host processes on loopback forming one Akka.NET cluster on a shared PostgreSQL database. The first
/// node is the seed of every node, so each node's cluster port is chosen before it starts.
/// </summary>
public sealed class HostCluster : IAsyncDisposable
{
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(60);
    private readonly List<HostProcess> _nodes = [];
    private readonly List<TempDirectory> _directories = [];
    private readonly string _connectionString;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly int _seedPort = FreePort.Next();

    private HostCluster(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        _connectionString = connectionString;
        _settings = settings;
    }

    /// <summary>Every node started so far, including ones that were stopped or killed, in start order.</summary>
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
        var cluster = new HostCluster(connectionString, settings ?? new Dictionary<string, string>());
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

    /// <summary>Waits until every running node's /status lists exactly <paramref name="count"/> members, all Up and reachable.</summary>
    public async Task WaitForMembersAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var views = await Task.WhenAll(Running.Select(ClusterStatus.ReadAsync));
            if (views.All(view => view.Members.Count == count && view.UpAndReachable.Count() == count)) return;
            last = string.Join("; ", views.Select(view =>
                $"{view.Node}: {string.Join(", ", view.Members.Select(member => $"{member.Address} {member.Status}{(member.Reachable ? "" : " unreachable")}"))}"));
            await Task.Delay(250);
        }

        throw new TimeoutException($"Not {count} members Up on every node within {timeout}: {last}");
    }

    /// <summary>
    /// Kills (SIGKILL) every node still running and removes their data folders. With MAILINGEST_TEST_LOGS set to a
    /// folder, each node's output is written there first (for CI failures).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var logs = Environment.GetEnvironmentVariable("MAILINGEST_TEST_LOGS");
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
            if (string.IsNullOrEmpty(logs)) continue;
            Directory.CreateDirectory(logs);
            await File.WriteAllTextAsync(Path.Combine(logs, $"node-{node.ClusterPort}.log"), node.Output);
        }

        foreach (var directory in _directories) directory.Dispose();
    }

    private HostProcess StartNode()
    {
        var data = new TempDirectory();
        _directories.Add(data);
        var first = Nodes.Count == 0;
        var clusterPort = first ? _seedPort : FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["MailIngest__Storage__Provider"] = "PostgreSql",
            ["MailIngest__Storage__ConnectionString"] = _connectionString,
            ["MailIngest__Cluster__HostName"] = "127.0.0.1",
            ["MailIngest__Cluster__Seeds__0"] = $"127.0.0.1:{_seedPort}",
            ["MailIngest__Smtp__DeliveryTimeoutSeconds"] = "5",
            ["MailIngest__Smtp__DrainGraceSeconds"] = "5",
        };
        foreach (var (key, value) in _settings) settings[key] = value;
        var node = HostProcess.Start(data.Path, settings, clusterPort: clusterPort);
        lock (_nodes) _nodes.Add(node);
        return node;
    }
}
