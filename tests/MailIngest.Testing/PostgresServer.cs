using Npgsql;

namespace MailIngest.Testing;

/// <summary>
/// A throwaway PostgreSQL server from Debian's binaries (<c>apt-get install postgresql</c>): initdb into a temp
/// folder, listening only on 127.0.0.1 at a free port, its unix socket inside that folder. When the tests run as
/// root (CI does), the server runs as the unprivileged <c>postgres</c> user, since PostgreSQL refuses root.
/// It can be stopped and started again on the same port and data (database outage scenarios).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _root = new();
    private readonly string _bin;
    private int _databases;

    private readonly BridgeAccess? _bridge;

    private PostgresServer(string bin, int port, BridgeAccess? bridge)
    {
        _bin = bin;
        Port = port;
        _bridge = bridge;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>True between a successful start and a stop.</summary>
    public bool Running { get; private set; }

    private string DataDirectory => Path.Combine(_root.Path, "data");
    private string SocketDirectory => Path.Combine(_root.Path, "socket");
    private string LogFile => Path.Combine(_root.Path, "postgres.log");

    /// <summary>The server's log so far, for failure messages.</summary>
    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    /// <summary>Creates the cluster with initdb and starts the server.</summary>
    public static async Task<PostgresServer> StartAsync(BridgeAccess? bridge = null)
    {
        var server = new PostgresServer(FindBinDirectory(), FreePort.Next(), bridge);
        try
        {
            await server.InitializeAsync();
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the stopped server again on the same port and data; returns when it accepts connections.</summary>
    public async Task StartServerAsync()
    {
        await RunAsync("pg_ctl", "start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60");
        Running = true;
    }

    /// <summary>Stops the server (fast mode: open sessions are ended, nothing acknowledged is lost).</summary>
    public async Task StopServerAsync()
    {
        await RunAsync("pg_ctl", "stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60");
        Running = false;
    }

    /// <summary>
    /// Creates a fresh database (in <paramref name="tablespace"/> when given) and returns an Npgsql connection string for it.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "mailingest", string? tablespace = null)
    {
        var name = $"{prefix}_{Interlocked.Increment(ref _databases)}";
        // Unpooled: a pooled connection would be dead after a scenario restarted the server.
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{(tablespace is null ? "" : $" TABLESPACE \"{tablespace}\"")}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    /// <summary>A tablespace named <paramref name="name"/> in the new directory <paramref name="directory"/> (a volume a test mounted, say).</summary>
    public async Task CreateTablespaceAsync(string name, string directory)
    {
        Directory.CreateDirectory(directory);
        if (Environment.IsPrivilegedProcess) await Check(ExternalTool.RunAsync("chown", [$"{ServiceUser}:", directory]), "chown");
        await ExecuteAsync(ConnectionString("postgres"), $"CREATE TABLESPACE \"{name}\" LOCATION '{directory.Replace("'", "''")}'");
    }

    /// <summary>Runs <paramref name="sql"/> on the database of <paramref name="connectionString"/>.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row <paramref name="sql"/> returns on the database of <paramref name="connectionString"/>.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={ServiceUser};Database={database};Timeout=5;Command Timeout=30";

    /// <summary>Stops the server if it runs and removes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Running) await StopServerAsync();
        }
        finally
        {
            _root.Dispose();
        }
    }

    private async Task InitializeAsync()
    {
        Directory.CreateDirectory(SocketDirectory);
        if (Environment.IsPrivilegedProcess)
            await Check(ExternalTool.RunAsync("chown", ["-R", $"{ServiceUser}:", _root.Path]), "chown");
        await RunAsync("initdb", "-D", DataDirectory, "-U", ServiceUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync");
        // Loopback only (plus a test's own container network); enough connections for four nodes' pools; settings
        // survive a restart.
        var listen = _bridge is null ? "127.0.0.1" : $"127.0.0.1,{_bridge.Gateway}";
        if (_bridge is not null)
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), $"\nhost all all {_bridge.Subnet} trust\n");
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            listen_addresses = '{listen}'
            port = {Port}
            unix_socket_directories = '{SocketDirectory}'
            max_connections = 400
            shared_buffers = 32MB
            """);
    }

    private Task RunAsync(string tool, params string[] arguments)
    {
        var path = Path.Combine(_bin, tool);
        var run = Environment.IsPrivilegedProcess
            ? ExternalTool.RunAsync("runuser", ["-u", ServiceUser, "--", path, .. arguments], workingDirectory: _root.Path)
            : ExternalTool.RunAsync(path, arguments, workingDirectory: _root.Path);
        return Check(run, tool);
    }

    private async Task Check(Task<(int ExitCode, string Output)> run, string what)
    {
        var (exitCode, output) = await run.WaitAsync(CommandTimeout);
        if (exitCode != 0) throw new InvalidOperationException($"{what} failed with {exitCode}:\n{output}\n{Log}");
    }

    /// <summary>The newest /usr/lib/postgresql/N/bin that has initdb (Debian puts the binaries there, not on PATH).</summary>
    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(version => Path.Combine(version, "bin"))
                .Where(candidate => File.Exists(Path.Combine(candidate, "initdb")))
                .OrderByDescending(candidate => int.TryParse(Path.GetFileName(Path.GetDirectoryName(candidate)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries under {root}; install them with `apt-get install postgresql` (.ci/run does).");
    }
}
