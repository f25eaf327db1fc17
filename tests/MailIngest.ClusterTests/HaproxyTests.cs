using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// Three nodes behind a real HAProxy (TCP mode, PROXY v2, HTTP checks on /readyz), configured as
/// docs/load-balancer.md says: the client's own address reaches the node, a killed node leaves the rotation within
/// the health checks, and a drained node leaves it before it refuses connections.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HaproxyTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int DrainDelaySeconds = 4;
    private const int GraceSeconds = 5;
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(30);
    // Checks at CheckInterval, FallRise failures in a row: DOWN within that many intervals plus scheduling slack.
    private static readonly TimeSpan DownBound = HaproxyProcess.CheckInterval * HaproxyProcess.FallRise + TimeSpan.FromSeconds(2.5);

    [Fact(Timeout = 240_000)]
    public async Task Client_address_behind_haproxy_is_the_one_in_Received_and_the_one_the_rate_limit_counts()
    {
        const int perMinute = 3;
        // Loopback is not trusted here, so the per-client limits apply to the test's 127.x clients.
        await using var cluster = await StartClusterAsync("haproxy_client", new Dictionary<string, string>
        {
            ["MailIngest__Smtp__TrustedNetworks__0"] = "198.51.100.0/24",
            ["MailIngest__Smtp__MaxMessagesPerMinutePerClient"] = perMinute.ToString(),
        });
        await using var haproxy = await HaproxyProcess.StartAsync(cluster.Nodes);
        var limited = IPAddress.Parse("127.0.0.2");
        var other = IPAddress.Parse("127.0.0.3");

        await using (var client = await RawSmtpClient.ConnectAsync(haproxy.Port, limited))
        {
            Assert.StartsWith("220", await client.ReadReplyAsync());
            await client.SendAsync("EHLO client.haproxy.test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<haproxy-client@example.com>\r\nDATA\r\n" +
                                   "Subject: through haproxy\r\n\r\nhello\r\n.\r\nQUIT\r\n");
            Assert.StartsWith("250 2.0.0", (await client.ReadRepliesAsync(5))[4]);
        }

        var item = await cluster[0].SingleBySubjectAsync("haproxy-client@example.com", "through haproxy");
        var raw = await cluster[0].RawAsync("haproxy-client@example.com", item.GetProperty("id").GetString()!);
        output.WriteLine(raw.Split("\r\n").First(line => line.StartsWith("Received:", StringComparison.Ordinal)));
        Assert.Contains("from client.haproxy.test ([127.0.0.2])", raw);

        // One session per node (round robin): the limited client uses up its rate wherever it lands ...
        foreach (var _ in cluster.Nodes)
        {
            var replies = await MailUntilRefusedAsync(haproxy.Port, limited, perMinute + 1);
            output.WriteLine($"{limited}: {string.Join(", ", replies.Select(reply => reply[..3]))}");
            Assert.StartsWith("450 4.7.1", replies[^1]);
        }

        // ... and another client through the same balancer, whose connections come from the same HAProxy address,
        // still has its own.
        foreach (var _ in cluster.Nodes)
        {
            var replies = await MailUntilRefusedAsync(haproxy.Port, other, 1);
            Assert.StartsWith("250", Assert.Single(replies));
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Killed_node_behind_haproxy_leaves_the_rotation_within_the_checks_and_senders_only_retry()
    {
        const int messages = 300;
        await using var cluster = await StartClusterAsync("haproxy_kill");
        await using var haproxy = await HaproxyProcess.StartAsync(cluster.Nodes);
        var recipients = SmtpLoad.Recipients("haproxy-kill", 50);
        var results = new ConcurrentQueue<(SentMessage Last, int Attempts)>();
        var senders = SendWithRetries(haproxy.Port, "haproxy-kill", messages, recipients, results);
        await WaitForAsync(() => results.Count >= messages / 3, TimeSpan.FromSeconds(60), "a third of the messages sent");

        var victim = cluster[2];
        var clock = Stopwatch.StartNew();
        await victim.KillAsync();
        var down = await haproxy.WaitForStatusAsync(victim, "DOWN", StateTimeout);
        var downAfter = clock.Elapsed;
        var sentBeforeDown = results.Count;
        await senders.WaitAsync(TimeSpan.FromSeconds(180));
        var after = await haproxy.ServerAsync(victim);

        var sent = results.Select(result => result.Last).ToArray();
        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        output.WriteLine($"{down.Name} DOWN ({down.CheckStatus}) {downAfter.TotalSeconds:0.00} s after SIGKILL, {sentBeforeDown} of {messages} " +
                         $"messages done by then; connections sent to it: {down.TotalSessions} at DOWN, {after.TotalSessions} at the end");
        output.WriteLine($"{results.Count(result => result.Attempts > 1)} messages needed a retry " +
                         $"(most attempts {results.Max(result => result.Attempts)}); read through {cluster[0].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);
        Assert.True(downAfter < DownBound, $"DOWN after {downAfter}:\n{haproxy.Output}");
        Assert.Equal(down.TotalSessions, after.TotalSessions);
        Assert.All(sent, message => Assert.True(message.Outcome == SendOutcome.Acknowledged, $"{message.Subject}: {message.Outcome} {message.Reply}"));
        Assert.Empty(report.Problems);
        Assert.Equal(messages, report.AcknowledgedFound);
    }

    [Fact(Timeout = 300_000)]
    public async Task Terminated_node_behind_haproxy_is_marked_down_before_it_closes_its_listener()
    {
        await using var cluster = await StartClusterAsync("haproxy_drain", new Dictionary<string, string>
        {
            ["MailIngest__Smtp__DrainDelaySeconds"] = DrainDelaySeconds.ToString(),
            ["MailIngest__Smtp__DrainGraceSeconds"] = GraceSeconds.ToString(),
        });
        await using var haproxy = await HaproxyProcess.StartAsync(cluster.Nodes);
        var load = SmtpLoad.Start("haproxy-drain", clients: 4, () => [haproxy.Port], SmtpLoad.Recipients("haproxy-drain", 50),
            TimeSpan.FromMilliseconds(20));
        await load.WaitForAcknowledgedAsync(100, TimeSpan.FromSeconds(60));

        var target = cluster[1];
        var clock = Stopwatch.StartNew();
        target.SendTerminate();
        var (notReadyAfter, downAfter) = ((TimeSpan?)null, (TimeSpan?)null);
        while ((notReadyAfter is null || downAfter is null) && clock.Elapsed < StateTimeout && !target.HasExited)
        {
            if (notReadyAfter is null && await target.ReadyStatusAsync() is not 200) notReadyAfter = clock.Elapsed;
            if (downAfter is null && (await haproxy.ServerAsync(target)).Status == "DOWN") downAfter = clock.Elapsed;
            await Task.Delay(50);
        }

        Assert.True(downAfter is not null, $"{HaproxyProcess.ServerName(target)} not DOWN " +
            (target.HasExited ? $"before the node exited ({clock.Elapsed} after SIGTERM)" : $"within {StateTimeout}") + $":\n{haproxy.Output}");
        // HAProxy no longer sends clients there, and the node still takes a connection: nobody met a closed listener.
        await using (var direct = await RawSmtpClient.ConnectAsync(target.SmtpPort))
        {
            await direct.SendAsync(ProxyHeaders.Version1("192.0.2.25"));
            Assert.StartsWith("220", await direct.ReadReplyAsync());
            await direct.SendAsync("QUIT\r\n");
        }

        var stillOpenAfter = clock.Elapsed;
        var exitCode = await target.WaitForExitAsync(TimeSpan.FromSeconds(DrainDelaySeconds + GraceSeconds + 20));
        var exitedAfter = clock.Elapsed;
        var sent = await load.StopAsync();
        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        var log = target.Output;
        var notReadyLine = log.IndexOf("Not ready (/readyz 503)", StringComparison.Ordinal);
        var listenerClosedLine = log.IndexOf(" SMTP session(s), grace ", notReadyLine + 1, StringComparison.Ordinal);
        output.WriteLine($"after SIGTERM: /readyz non-200 at {notReadyAfter?.TotalSeconds:0.00} s, HAProxy DOWN at {downAfter?.TotalSeconds:0.00} s, " +
                         $"listener still greeting at {stillOpenAfter.TotalSeconds:0.00} s (drain delay {DrainDelaySeconds} s), exit {exitCode} at {exitedAfter.TotalSeconds:0.0} s");
        output.WriteLine($"through HAProxy: {SmtpLoad.Summary(sent)}; read through {cluster[0].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);
        Assert.True(notReadyAfter <= downAfter, $"/readyz non-200 at {notReadyAfter}, DOWN at {downAfter}");
        Assert.True(notReadyLine >= 0 && listenerClosedLine > notReadyLine, $"readiness off, then the listener closes:\n{log}");
        Assert.Equal(0, exitCode);
        Assert.Empty(report.Problems);
        Assert.All(sent, message => Assert.True(message.Outcome == SendOutcome.Acknowledged, $"{message.Subject}: {message.Outcome} {message.Reply}"));
    }

    private async Task<HostCluster> StartClusterAsync(string database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var proxied = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["MailIngest__Smtp__ProxyProtocol"] = "true" };
        return await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync(database), 3, proxied);
    }

    /// <summary>One session from <paramref name="from"/>: MAIL and RSET until a MAIL is refused or <paramref name="most"/> were sent; the MAIL replies.</summary>
    private static async Task<IReadOnlyList<string>> MailUntilRefusedAsync(int port, IPAddress from, int most)
    {
        await using var client = await RawSmtpClient.ConnectAsync(port, from);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.SendAsync("EHLO limits.haproxy.test\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        var replies = new List<string>();
        while (replies.Count < most && (replies.Count == 0 || replies[^1].StartsWith("250", StringComparison.Ordinal)))
        {
            await client.SendAsync("MAIL FROM:<a@example.org>\r\nRSET\r\n");
            replies.Add((await client.ReadRepliesAsync(2))[0]);
        }

        return replies;
    }

    /// <summary>
    /// Four senders share <paramref name="count"/> messages, each retried as an MTA would on a dropped or refused
    /// connection, 421 or 451 (same bytes, so a retry of a stored message is not stored twice).
    /// </summary>
    private static Task SendWithRetries(int port, string runId, int count, IReadOnlyList<string> recipients,
        ConcurrentQueue<(SentMessage Last, int Attempts)> results)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var n = Interlocked.Increment(ref next); n < count; n = Interlocked.Increment(ref next))
                results.Enqueue(await SmtpTransaction.SendWithRetriesAsync(port, $"{runId}-{n}", [recipients[n % recipients.Count]],
                    attempts: 10, TimeSpan.FromMilliseconds(500)));
        })));
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not {what} within {timeout}");
            await Task.Delay(50);
        }
    }
}
