using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MailIngest.Testing;

/// <summary>
/// Debian's HAProxy (<c>apt-get install haproxy</c>) in TCP mode in front of host processes, as
/// docs/load-balancer.md configures it: PROXY protocol v2 to every node, HTTP health checks on each node's admin
/// <c>/readyz</c>. It listens on a free loopback port, its configuration and admin socket live in a temp folder, and
/// it runs in the foreground so that it is stopped by its own process id.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    /// <summary>Time between two health checks of a server.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Failed checks in a row that mark a server DOWN (and passed ones that mark it UP again).</summary>
    public const int FallRise = 2;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TempDirectory _directory;
    private readonly Process _process;

    private HaproxyProcess(TempDirectory directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The frontend's port on 127.0.0.1, where SMTP clients connect.</summary>
    public int Port { get; }

    /// <summary>Everything HAProxy wrote so far (its log goes to stderr: server state changes among it).</summary>
    public string Output => string.Join('\n', _output);

    private string SocketPath => Path.Combine(_directory.Path, "admin.sock");

    /// <summary>The backend server name of <paramref name="node"/>.</summary>
    public static string ServerName(HostProcess node) => $"smtp{node.SmtpPort}";

    /// <summary>Starts HAProxy in front of <paramref name="nodes"/> and waits until it reports every one UP.</summary>
    public static async Task<HaproxyProcess> StartAsync(IReadOnlyList<HostProcess> nodes)
    {
        var directory = new TempDirectory();
        var port = FreePort.Next();
        var configuration = Path.Combine(directory.Path, "haproxy.cfg");
        await File.WriteAllTextAsync(configuration, Configuration(port, Path.Combine(directory.Path, "admin.sock"), nodes));
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("haproxy", ["-db", "-f", configuration])
                      {
                          RedirectStandardOutput = true,
                          RedirectStandardError = true,
                      })
                      ?? throw new InvalidOperationException("haproxy did not start");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            directory.Dispose();
            throw new InvalidOperationException("haproxy is not installed; `apt-get install haproxy` (.ci/run does)", error);
        }

        var haproxy = new HaproxyProcess(directory, process, port);
        try
        {
            foreach (var node in nodes) await haproxy.WaitForStatusAsync(node, "UP", StartTimeout);
            return haproxy;
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every backend server as <c>show stat</c> on the admin socket reports it.</summary>
    public async Task<IReadOnlyList<HaproxyServer>> ServersAsync()
    {
        var lines = (await CommandAsync("show stat")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].TrimStart('#', ' ').Split(',');
        int Column(string name) => Array.IndexOf(header, name) is >= 0 and var index
            ? index
            : throw new InvalidOperationException($"show stat has no column {name}: {lines[0]}");
        var (proxy, server, status, total, check) = (Column("pxname"), Column("svname"), Column("status"), Column("stot"), Column("check_status"));
        return lines.Skip(1)
            .Select(line => line.Split(','))
            .Where(fields => fields[proxy] == "mailingest" && fields[server] is not ("FRONTEND" or "BACKEND"))
            .Select(fields => new HaproxyServer(fields[server], fields[status], long.Parse(fields[total], CultureInfo.InvariantCulture), fields[check]))
            .ToArray();
    }

    /// <summary>The server of <paramref name="node"/> now.</summary>
    public async Task<HaproxyServer> ServerAsync(HostProcess node) =>
        (await ServersAsync()).Single(server => server.Name == ServerName(node));

    /// <summary>Waits until HAProxy reports <paramref name="node"/>'s server with exactly <paramref name="status"/>; fails with HAProxy's output after <paramref name="timeout"/>.</summary>
    public async Task<HaproxyServer> WaitForStatusAsync(HostProcess node, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"haproxy exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var server = await ServerAsync(node);
                if (server.Status == status) return server;
                last = $"{server.Status} ({server.CheckStatus})";
            }
            catch (SocketException error)
            {
                // The admin socket is not there before HAProxy has read its configuration.
                last = error.Message;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{ServerName(node)} not {status} within {timeout}, last {last}:\n{Output}");
    }

    /// <summary>Stops HAProxy (SIGKILL to its process id) and removes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private async Task<string> CommandAsync(string command)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), timeout.Token);
        // Without "prompt" HAProxy answers one command and closes the connection.
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    // The shape docs/load-balancer.md recommends, with checks fast enough for a test. Health checks go to the admin
    // port, so they carry no PROXY header (HAProxy sends one on checks only to the traffic port).
    private static string Configuration(int port, string socket, IReadOnlyList<HostProcess> nodes) => $"""
        global
            log stderr format raw local0 info
            stats socket {socket} mode 600 level admin

        defaults
            mode tcp
            timeout connect 2s
            timeout client 60s
            timeout server 60s
            timeout check 2s
            retries 3
            option redispatch 1

        frontend smtp
            bind 127.0.0.1:{port}
            default_backend mailingest

        # Logs the servers' state changes; the frontend's one line per connection is left out.
        backend mailingest
            log global
            balance roundrobin
            option httpchk GET /readyz
            http-check expect status 200
            default-server inter {CheckInterval.TotalMilliseconds}ms fall {FallRise} rise {FallRise} send-proxy-v2
        {string.Join('\n', nodes.Select(node => $"    server {ServerName(node)} 127.0.0.1:{node.SmtpPort} check port {node.AdminPort}"))}

        """;
}
