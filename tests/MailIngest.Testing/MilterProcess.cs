using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailIngest.Testing;

/// <summary>
/// A real milter (sendmail libmilter protocol) for the server's milter client to talk to: the per-message scriptable
/// pymilter filter (<c>Milters/test_milter.py</c>), a deliberately broken one (<c>Milters/bad_milter.py</c>),
/// SpamAssassin's spamass-milter with its own spamd, or OpenDKIM verifying against a DNS server of its own. Each
/// runs in a network namespace of its own (<c>unshare --net</c>, loopback only), so nothing it does can leave the
/// machine, and is reached over a UNIX socket in the test's directory, since a path works across namespaces; only
/// the <c>inet:</c> variant of the test milter listens on 127.0.0.1 in the root namespace. The namespace also gets a
/// PID namespace of its own with <c>--kill-child</c>: killing the one <c>unshare</c> process this class started
/// ends everything inside, whatever forked (spamd's children, spamc). The packages come from Debian (.ci/run
/// installs them).
/// </summary>
public sealed class MilterProcess : IAsyncDisposable
{
    // Debian's interpreter, where python3-milter installs pymilter; a python3 earlier on PATH (pyenv, a venv) lacks it.
    private const string Python = "/usr/bin/python3";

    // spamd's port inside the namespace: the namespace's loopback belongs to this one spamd, so the default is free.
    private const int SpamdPort = 783;

    // A unix socket path longer than sun_path (108 bytes with its NUL) cannot be bound.
    private const int MaxSocketPath = 100;

    // Generous: spamd compiles its rule set before it answers (about a second here, more on a loaded machine).
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static int _sockets;

    private readonly ConcurrentQueue<string> _output = new();
    private readonly Process _process;
    private readonly string? _socketPath;

    private MilterProcess(Process process, string address, string? socketPath)
    {
        _process = process;
        _socketPath = socketPath;
        Address = address;
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Where the milter listens, in the server configuration's syntax: <c>unix:/abs/path.sock</c> or <c>inet:127.0.0.1:PORT</c>.</summary>
    public string Address { get; }

    /// <summary>Everything the processes printed so far (the test milter's one line per message among it), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The folder holding the milter scripts, in the source tree the tests were built from.</summary>
    public static string ScriptDirectory => Path.Combine(SourceTree.Root, "tests", "MailIngest.Testing", "Milters");

    /// <summary>
    /// Starts <c>test_milter.py</c>, whose verdict each message picks with its <c>X-Test-Action</c> header (see the
    /// script): on a UNIX socket in <paramref name="directory"/>, in a network namespace of its own, or with
    /// <paramref name="inet"/> on a free port of 127.0.0.1 in the root namespace.
    /// </summary>
    public static Task<MilterProcess> StartTestMilterAsync(string directory, bool inet = false)
    {
        var script = Path.Combine(ScriptDirectory, "test_milter.py");
        if (!inet)
        {
            var socket = SocketPath(directory, "test-milter");
            return StartInNamespaceAsync($"exec {Quote(Python)} {Quote(script)} {Quote("unix:" + socket)}", socket);
        }

        var port = FreePort.Next();
        return StartAsync(new ProcessStartInfo(Python, [script, $"inet:{port}@127.0.0.1"]), $"inet:127.0.0.1:{port}", null,
            milter => milter.AcceptsAsync());
    }

    /// <summary>
    /// Starts <c>bad_milter.py</c> in <paramref name="mode"/> (<c>hang</c>, <c>close-mid-body</c>, <c>garbage</c>,
    /// <c>garbage-frame</c>, <c>slow</c>; <paramref name="delaySeconds"/> is <c>slow</c>'s wait before it answers
    /// end-of-message) on a UNIX socket in <paramref name="directory"/>, in a network namespace of its own.
    /// </summary>
    public static Task<MilterProcess> StartBadMilterAsync(string directory, string mode, int delaySeconds = 0)
    {
        var socket = SocketPath(directory, "bad-milter-" + mode);
        var script = Path.Combine(ScriptDirectory, "bad_milter.py");
        return StartInNamespaceAsync(
            $"exec {Quote(Python)} {Quote(script)} {Quote(mode)} {Quote("unix:" + socket)} {delaySeconds}", socket);
    }

    /// <summary>
    /// Starts spamd and spamass-milter together in one network namespace: spamd on the namespace's 127.0.0.1 with
    /// local tests only (no DNS or network checks, no Bayes, no user preferences) as <c>nobody</c>, logging to this
    /// process's output; spamass-milter on a UNIX socket in <paramref name="directory"/>, adding X-Spam-* headers
    /// and never touching the body or Subject. With <paramref name="rejectSpam"/> it rejects a score of 5 or more
    /// (GTUBE scores 1000) with <c>550 5.7.1 Blocked by SpamAssassin</c>. Returns once spamd answers a ping.
    /// </summary>
    public static async Task<MilterProcess> StartSpamAssassinAsync(string directory, bool rejectSpam)
    {
        var socket = SocketPath(directory, "spamass");
        // spamd refuses to check mail as root; -x and --cf keep it from reading or writing anything under a home.
        var spamd = "spamd --local --nouser-config --username nobody --groupname nogroup --syslog stderr " +
                    $"--listen 127.0.0.1 --port {SpamdPort} --min-children 1 --max-children 1 " +
                    "--cf 'use_bayes 0' --cf 'bayes_auto_learn 0'";
        // -m: headers only, so the milter never asks for body replacement.
        var milter = $"spamass-milter -p {Quote(socket)} -m{(rejectSpam ? " -r 5" : "")} -- -d 127.0.0.1 -p {SpamdPort}";
        return await StartInNamespaceAsync($"{spamd} &\nexec {milter}", socket,
            async process => await process.SpamdAnswersAsync() && await process.AcceptsAsync());
    }

    /// <summary>
    /// Starts OpenDKIM in verify mode on a UNIX socket in <paramref name="directory"/>, adding an
    /// <c>Authentication-Results: <paramref name="authservId"/>; dkim=...</c> header to every message (dkim=none on
    /// unsigned ones too). It looks keys up in DNS as in production, but its only name server is
    /// <c>Milters/dns_txt.py</c> on 127.0.0.1:53 of the same namespace, which answers the TXT query for
    /// <c><paramref name="selector"/>._domainkey.<paramref name="domain"/></c> with
    /// <paramref name="publicKeyTxtRecord"/> (<c>v=DKIM1; k=rsa; p=...</c>) and every other name with NXDOMAIN.
    /// </summary>
    public static async Task<MilterProcess> StartOpenDkimAsync(string directory, string domain, string selector,
        string publicKeyTxtRecord, string authservId = "mailingest.test")
    {
        var socket = SocketPath(directory, "opendkim");
        var configuration = Path.ChangeExtension(socket, ".conf");
        // Nameservers, not TestPublicKeys: the key is fetched the way a real deployment fetches it (opendkim's
        // libunbound resolver, UDP with TCP fallback), only from a server the test owns. Run as root (no UserID),
        // which opendkim allows, so the socket needs no permission changes for the root test host; no PidFile,
        // no syslog: nothing is written outside the directory.
        await File.WriteAllTextAsync(configuration, $"""
            Mode                v
            Socket              local:{socket}
            AuthservID          {authservId}
            AlwaysAddARHeader   yes
            Nameservers         127.0.0.1
            Syslog              no
            UMask               007

            """);
        var dns = Path.Combine(ScriptDirectory, "dns_txt.py");
        var name = $"{selector}._domainkey.{domain}";
        return await StartInNamespaceAsync(
            $"{Quote(Python)} {Quote(dns)} 127.0.0.1 {Quote(name)} {Quote(publicKeyTxtRecord)} &\n" +
            $"exec opendkim -f -x {Quote(configuration)}",
            socket,
            // A query before the DNS server is bound would fail the first message with a DNS error.
            async process => process.Output.Contains("dns_txt serving", StringComparison.Ordinal) && await process.AcceptsAsync());
    }

    /// <summary>
    /// Starts rspamd's proxy worker in milter mode, scanning itself (the README's example configuration), with the
    /// packaged rules and its own writable directories under <paramref name="directory"/> (no cache, log or pid file
    /// elsewhere): on a UNIX socket there, in a network namespace of its own, so its DNS-based checks find no server
    /// and its map updates no network. Its milter_headers module adds <c>X-Spamd-Result</c> and
    /// <c>X-Rspamd-Queue-Id</c> (the "i" macro) to messages from any address, the local ones this test sends from included.
    /// </summary>
    public static async Task<MilterProcess> StartRspamdAsync(string directory)
    {
        var socket = SocketPath(directory, "rspamd");
        var root = Path.Combine(directory, "rspamd");
        var local = Path.Combine(root, "local.d");
        Directory.CreateDirectory(local);
        Directory.CreateDirectory(Path.Combine(root, "override.d"));
        foreach (var folder in new[] { "db", "run", "log" }) Directory.CreateDirectory(Path.Combine(root, folder));
        await File.WriteAllTextAsync(Path.Combine(local, "worker-proxy.inc"), $$"""
            bind_socket = "{{socket}} mode=0666";
            milter = yes;
            timeout = 120s;
            upstream "local" { default = yes; self_scan = yes; }

            """);
        await File.WriteAllTextAsync(Path.Combine(local, "milter_headers.conf"), """
            use = ["x-spamd-result", "x-rspamd-queue-id"];
            skip_local = false;
            skip_authenticated = false;

            """);
        // A namespace's loopback has no DNS server: every lookup fails at once instead of waiting out the default.
        await File.WriteAllTextAsync(Path.Combine(local, "options.inc"), """
            dns { nameserver = ["127.0.0.1:53"]; timeout = 0.1s; retransmits = 1; }

            """);
        await File.WriteAllTextAsync(Path.Combine(root, "override.d", "logging.inc"), """
            type = "console";
            level = "notice";

            """);
        var variables = string.Join(' ', new[] { ("LOCAL_CONFDIR", root), ("DBDIR", Path.Combine(root, "db")),
            ("RUNDIR", Path.Combine(root, "run")), ("LOGDIR", Path.Combine(root, "log")) }.Select(v => $"--var={Quote($"{v.Item1}={v.Item2}")}"));
        // -f: stay in the foreground; -i: as root (the test host is root and reads the socket). The main process binds
        // the socket seconds before its proxy worker answers on it: ready is when a negotiation gets its answer.
        return await StartInNamespaceAsync($"exec rspamd -f -i -u root -g root {variables}", socket, process => process.NegotiatesAsync());
    }

    /// <summary>Stops everything this milter started (SIGKILL to the process it launched and its descendants) and removes its socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // The namespace's first process goes first: unshare then reaps it and exits by itself, and the kernel
            // ends the rest of the PID namespace with it. Killing unshare first would leave that process a zombie
            // under an init that may never reap it.
            var children = Children(_process.Id);
            foreach (var child in children) KillProcess(child);
            if (children.Count == 0) _process.Kill(entireProcessTree: true);
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        if (_socketPath is not null && File.Exists(_socketPath)) File.Delete(_socketPath);
    }

    private static Task<MilterProcess> StartInNamespaceAsync(string commands, string socket, Func<MilterProcess, Task<bool>>? ready = null) =>
        StartAsync(new ProcessStartInfo("unshare", ["--net", "--pid", "--kill-child", "--", "sh", "-c", "ip link set lo up || exit 1\n" + commands]),
            "unix:" + socket, socket, ready ?? (milter => milter.AcceptsAsync()));

    private static async Task<MilterProcess> StartAsync(ProcessStartInfo start, string address, string? socket,
        Func<MilterProcess, Task<bool>> ready)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"{start.FileName} is not installed; .ci/run installs the milter packages", error);
        }

        var milter = new MilterProcess(process, address, socket);
        try
        {
            await Eventually.TrueAsync($"milter at {address}", async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"Milter for {address} exited with {process.ExitCode}:\n{milter.Output}");
                return await ready(milter);
            }, StartTimeout, () => milter.Output);
            return milter;
        }
        catch
        {
            await milter.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        if (_socketPath is not null)
        {
            if (!File.Exists(_socketPath)) return false;
            using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await unix.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), timeout.Token);
            return true;
        }

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, int.Parse(Address[(Address.LastIndexOf(':') + 1)..]), timeout.Token);
        return true;
    }

    /// <summary>True when the milter answers an option negotiation (SMFIC_OPTNEG, version 6, everything offered).</summary>
    private async Task<bool> NegotiatesAsync()
    {
        if (_socketPath is null || !File.Exists(_socketPath)) return false;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await unix.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), timeout.Token);
        var negotiate = new byte[17];
        BinaryPrimitives.WriteUInt32BigEndian(negotiate, 13);
        negotiate[4] = (byte)'O';
        BinaryPrimitives.WriteUInt32BigEndian(negotiate.AsSpan(5), 6);
        BinaryPrimitives.WriteUInt32BigEndian(negotiate.AsSpan(9), 0x1FF);
        BinaryPrimitives.WriteUInt32BigEndian(negotiate.AsSpan(13), 0x1FFFFF);
        await using var stream = new NetworkStream(unix);
        await stream.WriteAsync(negotiate, timeout.Token);
        var reply = new byte[5];
        try
        {
            await stream.ReadExactlyAsync(reply, timeout.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or EndOfStreamException)
        {
            // Connected to the listening socket, but no worker has taken the connection yet (or it closed it).
            return false;
        }

        return reply[4] == (byte)'O';
    }

    // spamass-milter's socket is up long before spamd has compiled its rules; a message in between would get no
    // X-Spam headers. spamc's PING, from inside the namespace, is the readiness check spamd itself offers.
    private async Task<bool> SpamdAnswersAsync()
    {
        var (exitCode, _) = await ExternalTool.RunAsync("nsenter",
            ["--target", _process.Id.ToString(), "--net", "--", "spamc", "-d", "127.0.0.1", "-p", SpamdPort.ToString(), "--connect-retries", "1", "-K"]);
        return exitCode == 0;
    }

    private static IReadOnlyList<int> Children(int pid)
    {
        var list = $"/proc/{pid}/task/{pid}/children";
        try
        {
            return File.ReadAllText(list).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static void KillProcess(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (InvalidOperationException)
        {
            // Exited between the listing and the kill.
        }
    }

    private static string SocketPath(string directory, string name)
    {
        var path = Path.Combine(Path.GetFullPath(directory), $"{name}-{Interlocked.Increment(ref _sockets)}.sock");
        if (path.Length > MaxSocketPath) throw new ArgumentException($"Socket path {path} is too long for a UNIX socket", nameof(directory));
        return path;
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''") + "'";
}
