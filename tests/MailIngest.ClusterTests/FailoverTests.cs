using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// kill -9 of a node under load, three times in one cluster (a plain node, the coordinator's node, a plain node
/// again), each followed by a restart with the same address: nothing acknowledged is lost or duplicated, senders on
/// the surviving nodes see only 250, and the dead node's mailboxes are served through a survivor within 15 s. The
/// kill-to-served figure itself (about 6 to 10 s on loopback) is written to the test output; the bound only has to
/// catch a regression to the 17 s it once took, with room for a busy machine.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    // Not the figure (see the output) but a regression bound: the old behaviour took about 17 s.
    private static readonly TimeSpan ServedBound = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 420_000)]
    public async Task Killed_nodes_lose_nothing_survivors_answer_only_250_and_mailboxes_are_served_again_within_15_s()
    {
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("failover"), 3);
        var recipients = SmtpLoad.Recipients("failover", 100);
        var outages = new NodeOutages();
        var load = SmtpLoad.Start("failover", clients: 10, () => cluster.RunningSmtpPorts, recipients, TimeSpan.FromMilliseconds(20));
        await load.WaitForAcknowledgedAsync(150, TimeSpan.FromSeconds(60));

        var rounds = new List<(bool Coordinator, TimeSpan Served, DateTime KilledAt, DateTime ServedAt)>();
        foreach (var coordinator in new[] { false, true, false })
        {
            var view = await ClusterStatus.ReadAsync(cluster.Running[0]);
            var victimIndex = Enumerable.Range(0, cluster.Nodes.Count)
                .Last(i => (cluster[i].ClusterAddress == view.Oldest) == coordinator);
            var victim = cluster[victimIndex];
            var survivor = cluster.Running.First(node => node != victim);
            var victimShards = view.ShardsOf(victim).ToHashSet();
            var acknowledged = load.Sent.Where(message => message.Outcome == SendOutcome.Acknowledged).ToArray();
            var probe = recipients
                .Where(recipient => victimShards.Contains(Shards.Of(recipient)))
                .Select(recipient => (recipient, acked: acknowledged.Count(message => message.Recipients.Contains(recipient))))
                .MaxBy(candidate => candidate.acked);

            var killedAt = DateTime.UtcNow;
            outages.Down(victim);
            await victim.KillAsync();
            var served = await ServedProbe.WaitServedAsync(survivor, probe.recipient, probe.acked, TimeSpan.FromSeconds(60));
            Assert.True(served is not null, $"{probe.recipient} (shard {Shards.Of(probe.recipient)}) not served through {survivor.ClusterAddress} within 60 s");
            rounds.Add((coordinator, served.Value - killedAt, killedAt, served.Value));
            output.WriteLine($"killed {victim.ClusterAddress} ({(coordinator ? "coordinator" : "plain node")}, {victimShards.Count} shards): " +
                             $"{probe.recipient} served through {survivor.ClusterAddress} after {(served.Value - killedAt).TotalSeconds:0.0} s");

            await cluster.WaitForMembersAsync(2, MembershipTimeout);
            var waiting = (await ClusterStatus.ReadAsync(survivor)).WaitingOnMovingShard;
            await cluster.RestartAsync(victimIndex);
            outages.Up(victim.SmtpPort);
            await cluster.WaitForMembersAsync(3, MembershipTimeout);
            output.WriteLine($"  restarted with the same address; copies still waiting on a moving shard at that point: {waiting}");
            await load.WaitForAcknowledgedAsync(acknowledged.Length + 100, TimeSpan.FromSeconds(60));
        }

        var sent = await load.StopAsync();
        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        var throughSurvivors = sent.Where(message => !outages.Touched(message)).ToArray();
        var duringCrashes = throughSurvivors
            .Where(message => rounds.Any(round => message.Finished >= round.KilledAt && message.Started <= round.ServedAt))
            .ToArray();
        var servedAfter = rounds.Select(round => round.Served).Order().ToArray();
        output.WriteLine($"kill-to-served: median {servedAfter[servedAfter.Length / 2].TotalSeconds:0.0} s, worst {servedAfter[^1].TotalSeconds:0.0} s " +
                         $"(coordinator's node {string.Join(", ", rounds.Where(r => r.Coordinator).Select(r => $"{r.Served.TotalSeconds:0.0} s"))})");
        output.WriteLine($"through surviving nodes: {SmtpLoad.Summary(throughSurvivors)}; during the crashes {duringCrashes.Length} transactions, " +
                         $"longest {(duringCrashes.Length == 0 ? 0 : duringCrashes.Max(m => (m.Finished - m.Started).TotalSeconds)):0.0} s");
        output.WriteLine($"read through {cluster[0].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);
        if (report.Problems.Count > 0 || throughSurvivors.Any(message => message.Outcome != SendOutcome.Acknowledged))
            foreach (var line in cluster.Troubles(perNode: 60)) output.WriteLine(line);

        Assert.Empty(report.Problems);
        Assert.All(throughSurvivors, message => Assert.True(message.Outcome == SendOutcome.Acknowledged,
            $"{message.Subject} through a surviving node: {message.Outcome} {message.Reply}"));
        Assert.All(rounds, round => Assert.True(round.Served < ServedBound, $"served again after {round.Served.TotalSeconds:0.0} s"));
    }
}
