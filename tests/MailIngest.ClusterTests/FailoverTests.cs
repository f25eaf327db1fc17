using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>Scenario 2: kill -9 of one node under load loses nothing that was acknowledged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan LoadAfterKill = TimeSpan.FromSeconds(20);
    // Measured ~15 s: unreachable after ~5 s, downed by keep-majority ~5 s later, then the shards restart elsewhere.
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 240_000)]
    public async Task Killed_node_loses_no_acknowledged_message_and_its_mailboxes_are_served_again_within_the_bound()
    {
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("failover"), 3);
        var recipients = SmtpLoad.Recipients("failover", 100);
        var load = SmtpLoad.Start("failover", clients: 10, () => cluster.RunningSmtpPorts, recipients, TimeSpan.FromMilliseconds(50));
        await load.WaitForAcknowledgedAsync(150, TimeSpan.FromSeconds(60));

        var (survivor, victim) = (cluster[0], cluster[2]);
        var victimShards = (await ClusterStatus.ReadAsync(survivor)).ShardsOf(victim).ToHashSet();
        var beforeKill = load.Sent;
        var probe = recipients
            .Where(recipient => victimShards.Contains(Shards.Of(recipient)))
            .Select(recipient => (recipient, acked: beforeKill.Count(m => m.Outcome == SendOutcome.Acknowledged && m.Recipients.Contains(recipient))))
            .OrderByDescending(candidate => candidate.acked)
            .First();
        output.WriteLine($"victim {victim.ClusterAddress} hosts {victimShards.Count} shards; probe {probe.recipient} (shard {Shards.Of(probe.recipient)}) has {probe.acked} acknowledged");

        var killedAt = DateTime.UtcNow;
        await victim.KillAsync();
        var served = await ServedProbe.WaitServedAsync(survivor, probe.recipient, probe.acked, TimeSpan.FromSeconds(90));
        var remaining = killedAt + LoadAfterKill - DateTime.UtcNow;
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining);
        var sent = await load.StopAsync();
        await cluster.WaitForMembersAsync(2, TimeSpan.FromSeconds(30));

        var report = await DeliveryCheck.VerifyAsync(cluster[1], sent);
        var failover = served - killedAt;
        output.WriteLine($"kill-to-served for the dead node's mailbox: {failover?.TotalSeconds:0.0} s (bound {FailoverBound.TotalSeconds} s)");
        output.WriteLine($"read through {cluster[1].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);
        Assert.Empty(report.Problems);
        Assert.DoesNotContain(sent, message => message.Outcome == SendOutcome.Rejected);
        Assert.True(failover < FailoverBound, $"dead node's mailbox served after {failover?.TotalSeconds:0.0} s");
        Assert.Contains(sent, message => message.Outcome == SendOutcome.Acknowledged && message.Started > served);
    }
}
