using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace MailIngest.Testing;

/// <summary>
/// The real MailIngest host as a separate process on free loopback ports, with its own data directory.
/// Output is kept for assertions and for failure messages.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;

    /// <summary>SMTP port.</summary>
    public int SmtpPort { get; }

    /// <summary>Admin HTTP port.</summary>
    public int AdminPort { get; }

    /// <summary>Akka.Remote port.</summary>
    public int ClusterPort { get; }

    /// <summary>Base address of the admin endpoint, for clients that choose their own Authorization header.</summary>
    public Uri AdminAddress { get; }

    /// <summary>Client for the admin endpoint; sends the host's MailIngest__Admin__Token, when it has one, as a bearer token.</summary>
    public HttpClient Admin { get; }

    /// <summary>The process id.</summary>
    public int Pid { get; }

    /// <summary>The node's Akka address as members and shard regions show it in /status.</summary>
    public string ClusterAddress => $"akka.tcp://mailingest@127.0.0.1:{ClusterPort}";

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far.</summary>
    public string Output => string.Join('\n', _output);

    private HostProcess(Process process, int smtpPort, int adminPort, int clusterPort, string? adminToken)
    {
        _process = process;
        Pid = process.Id;
        SmtpPort = smtpPort;
        AdminPort = adminPort;
        ClusterPort = clusterPort;
        AdminAddress = new Uri($"http://127.0.0.1:{adminPort}");
        Admin = new HttpClient { BaseAddress = AdminAddress, Timeout = TimeSpan.FromSeconds(30) };
        // Unvalidated: a test may start a host with a token no header can carry, to see the host refuse it.
        if (!string.IsNullOrEmpty(adminToken)) Admin.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {adminToken}");
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The variable that sets the admin API's bearer token.</summary>
    public const string AdminTokenVariable = "MailIngest__Admin__Token";

    /// <summary>The host, copied next to the test assembly by the test project's reference to MailIngest.Host.</summary>
    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "MailIngest.Host.dll");

    /// <summary>Starts a host without waiting for it.</summary>
    public static HostProcess Start(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null,
        int? smtpPort = null, int? adminPort = null, int? clusterPort = null)
    {
        var ports = (smtp: smtpPort ?? FreePort.Next(), admin: adminPort ?? FreePort.Next(), cluster: clusterPort ?? FreePort.Next());
        var start = new ProcessStartInfo("dotnet", [HostDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["MailIngest__Smtp__Port"] = ports.smtp.ToString();
        start.Environment["MailIngest__Smtp__HostName"] = "mx.test";
        start.Environment["MailIngest__Admin__Port"] = ports.admin.ToString();
        start.Environment["MailIngest__Cluster__Port"] = ports.cluster.ToString();
        start.Environment["MailIngest__Storage__DataDirectory"] = dataDirectory;
        // The product verifies SPF/DKIM/DMARC with the system's resolver by default; a test must never ask a server
        // off this machine, so authentication is off unless a test turns it on with a loopback DNS server of its own.
        start.Environment["MailIngest__Authentication__Mode"] = "Off";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        RequireLoopbackDns(start.Environment);
        return new HostProcess(Process.Start(start)!, ports.smtp, ports.admin, ports.cluster, 
            start.Environment.TryGetValue(AdminTokenVariable, out var token) ? token : null);
    }

    /// <summary>
    /// Refuses to start a host that would verify mail with a resolver off this machine: with authentication on, every
    /// MailIngest:Dns:Servers entry must be a loopback address, and there must be one (none means the system's).
    /// </summary>
    public static void RequireLoopbackDns(IDictionary<string, string?> environment)
    {
        if (environment.TryGetValue("MailIngest__Authentication__Mode", out var mode) && string.Equals(mode, "Off", StringComparison.OrdinalIgnoreCase))
            return;
        var servers = environment.Where(pair => pair.Key.StartsWith("MailIngest__Dns__Servers__", StringComparison.Ordinal)).ToList();
        if (servers.Count == 0 || !servers.All(pair => System.Net.IPEndPoint.TryParse(pair.Value ?? "", out var server) && System.Net.IPAddress.IsLoopback(server.Address)))
            throw new InvalidOperationException(
                $"A test host with MailIngest:Authentication:Mode {mode} must name loopback DNS servers only (MailIngest:Dns:Servers); it named: " +
                (servers.Count == 0 ? "none (the system's resolver)" : string.Join(", ", servers.Select(pair => pair.Value))));
    }

    /// <summary>Starts a host and waits until /readyz answers 200.</summary>
    public static async Task<HostProcess> StartReadyAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var host = Start(dataDirectory, settings);
        await host.WaitReadyAsync();
        return host;
    }

    /// <summary>
    /// True when the process ended because the split-brain resolver downed it (Akka's coordinated shutdown logs the
    /// reason), as against a kill, a SIGTERM or a crash.
    /// </summary>
    public bool WasDowned
    {
        get
        {
            if (!_process.HasExited) return false;
            // Once exited, this returns when the output readers have taken the last line.
            _process.WaitForExit();
            return Output.Contains("ClusterDowningReason", StringComparison.Ordinal);
        }
    }

    /// <summary>Waits for /readyz 200; fails with the process output when it does not come.</summary>
    public Task WaitReadyAsync() => Readiness.WaitAsync(Admin, "/readyz", ReadyTimeout, () => Output, () => _process.HasExited);

    /// <summary>
    /// Waits until the output holds <paramref name="text"/>: lines arrive on a reader thread, so a line written just before
    /// a reply may not be here yet when the reply is. Fails with the output when it does not come in time.
    /// </summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Eventually.TrueAsync($"'{text}' in the host's output", () => Output.Contains(text, StringComparison.Ordinal), timeout,
            () => $"the output:\n{Output}", TimeSpan.FromMilliseconds(50));

    /// <summary>The process's resident memory in bytes (VmRSS from /proc).</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>GET a JSON document from the admin endpoint.</summary>
    public async Task<JsonElement> GetJsonAsync(string path) =>
        await Admin.GetFromJsonAsync<JsonElement>(path);

    /// <summary>Sends SIGTERM (what Kubernetes sends) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        SendTerminate();
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM and returns at once (watch the drain, then <see cref="WaitForExitAsync"/>).</summary>
    public void SendTerminate()
    {
        if (kill(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed");
    }

    /// <summary>The /readyz status code, or null when the admin endpoint does not answer.</summary>
    public async Task<int?> ReadyStatusAsync()
    {
        try
        {
            using var response = await Admin.GetAsync("/readyz");
            return (int)response.StatusCode;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL now, no chance to leave the cluster or finish anything; returns when the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Kills the process (SIGKILL) if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
