using System.Diagnostics;
using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>Scenario 4: SIGTERM under load drains: clients see 250, 421 or a refused connection; the node exits 0 in time.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DrainTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int GraceSeconds = 5;
    // Grace for SMTP sessions, then shard hand-off and leaving the cluster.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(GraceSeconds + 5);

    [Fact(Timeout = 240_000)]
    public async Task Terminated_node_drains_and_exits_0_without_losing_acknowledged_mail()
    {
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("drain"), 3,
            new Dictionary<string, string> { ["MailIngest__Smtp__DrainGraceSeconds"] = GraceSeconds.ToString() });
        var recipients = SmtpLoad.Recipients("drain", 100);
        var allPorts = cluster.RunningSmtpPorts;
        // The clients keep using the drained node's port: what they see there is what the scenario checks.
        var load = SmtpLoad.Start("drain", clients: 10, () => allPorts, recipients, TimeSpan.FromMilliseconds(50));
        await load.WaitForAcknowledgedAsync(150, TimeSpan.FromSeconds(60));

        var target = cluster[1];
        // A transaction in the middle of DATA keeps the drain going (up to the grace period), so the window in which
        // /readyz must answer 503 does not depend on how fast the load's own transactions finish.
        await using var held = await RawSmtpClient.ConnectAsync(target.SmtpPort);
        Assert.StartsWith("220", await held.ReadReplyAsync());
        await held.SendAsync("EHLO held.example.org\r\nMAIL FROM:<held@example.org>\r\nRCPT TO:<drain-held@example.com>\r\nDATA\r\n");
        Assert.Equal(["250", "250", "250", "354"], (await held.ReadRepliesAsync(4)).Select(reply => reply[..3]));
        await held.SendAsync("Subject: held\r\n\r\nstill writing\r\n");
        var clock = Stopwatch.StartNew();
        var terminatedAt = DateTime.UtcNow;
        target.SendTerminate();
        var notReadyAfter = (TimeSpan?)null;
        while (notReadyAfter is null && !target.HasExited && clock.Elapsed < ExitBound)
        {
            if (await target.ReadyStatusAsync() is 503) notReadyAfter = clock.Elapsed;
            await Task.Delay(50);
        }

        // The held transaction completes during the drain: 250 for it, then 421 4.3.2 and the close.
        await held.SendAsync(".\r\n");
        var heldReplies = await held.ReadRepliesAsync(2);

        var exitCode = await target.WaitForExitAsync(ExitBound - clock.Elapsed + TimeSpan.FromSeconds(1));
        var exitedAfter = clock.Elapsed;
        // The load goes on after the event: more messages acknowledged, not a fixed time, so a slow machine waits longer.
        await load.WaitForAcknowledgedAsync(load.Acknowledged + 50, TimeSpan.FromSeconds(60));
        var sent = await load.StopAsync();

        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        var atTarget = sent.Where(message => message.Port == target.SmtpPort && message.Finished >= terminatedAt).ToArray();
        output.WriteLine($"/readyz 503 after {notReadyAfter?.TotalSeconds:0.00} s; exit code {exitCode} after {exitedAfter.TotalSeconds:0.0} s (grace {GraceSeconds} s)");
        output.WriteLine($"drained node's clients after SIGTERM: {SmtpLoad.Summary(atTarget)}; replies: " +
                         string.Join(", ", atTarget.GroupBy(m => m.Reply.Length > 9 ? m.Reply[..9] : m.Reply).Select(g => $"'{g.Key}' {g.Count()}")));
        output.WriteLine($"read through {cluster[0].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);
        Assert.Equal(0, exitCode);
        Assert.True(exitedAfter < ExitBound, $"exited after {exitedAfter}");
        Assert.NotNull(notReadyAfter);
        Assert.StartsWith("250 2.0.0", heldReplies[0]);
        Assert.StartsWith("421 4.3.2", heldReplies[1]);
        Assert.Empty(report.Problems);
        Assert.All(atTarget, message => Assert.True(
            message.Outcome is SendOutcome.Acknowledged or SendOutcome.Refused
            || message is { Outcome: SendOutcome.Deferred, Reply: var reply } && reply.StartsWith("421 4.3.2", StringComparison.Ordinal),
            $"{message.Subject}: {message.Outcome} {message.Reply}"));
        Assert.DoesNotContain(sent, message => message.Outcome == SendOutcome.Rejected);
    }
}
