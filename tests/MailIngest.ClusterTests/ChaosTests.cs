using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// A bounded chaos run: continuous load while nodes are killed (-9), terminated (SIGTERM) and restarted at random,
/// one at a time so a majority always remains, and PostgreSQL is restarted once; a node the split-brain resolver downs
/// on a loaded machine is started again, as Kubernetes would (<see cref="HostCluster.RecoverAsync"/>). Afterwards every member is Up,
/// every mailbox answers and every acknowledged copy is there exactly once. The seed is printed;
/// MAILINGEST_CHAOS_SEED replays a run.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ChaosTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan DatabaseOutage = TimeSpan.FromSeconds(5);

    [Fact(Timeout = 600_000)]
    public async Task Random_kills_restarts_and_a_database_restart_lose_nothing_acknowledged()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("MAILINGEST_CHAOS_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        var server = postgres.Server;
        await using var cluster = await HostCluster.StartAsync(await server.CreateDatabaseAsync("chaos"), 3);
        var load = SmtpLoad.Start("chaos", clients: 8, () => cluster.RunningSmtpPorts, SmtpLoad.Recipients("chaos", 100), TimeSpan.FromMilliseconds(20));
        await load.WaitForAcknowledgedAsync(100, TimeSpan.FromSeconds(60));

        var started = DateTime.UtcNow;
        var databaseRestartAt = started + TimeSpan.FromSeconds(random.Next(20, 100));
        var databaseRestarted = false;
        var actions = new List<string>();
        while (DateTime.UtcNow - started < Duration)
        {
            var index = random.Next(cluster.Nodes.Count);
            var node = cluster[index];
            var kill = random.Next(2) == 0;
            if (kill)
            {
                await node.KillAsync();
            }
            else
            {
                var exitCode = await node.TerminateAsync(ExitTimeout);
                Assert.True(exitCode == 0, $"{node.ClusterAddress} exited with {exitCode} after SIGTERM:\n{node.Output}");
            }

            // Sometimes back at once (a new incarnation while the old one is still a member), sometimes after a while.
            var downFor = TimeSpan.FromMilliseconds(random.Next(0, 8000));
            await Task.Delay(downFor);
            actions.Add($"{(kill ? "kill -9" : "SIGTERM")} node {index}, back after {downFor.TotalSeconds:0.0} s");
            actions.AddRange(await cluster.RecoverAsync(MembershipTimeout));

            if (!databaseRestarted && DateTime.UtcNow >= databaseRestartAt)
            {
                await server.StopServerAsync();
                try
                {
                    await Task.Delay(DatabaseOutage);
                }
                finally
                {
                    await server.StartServerAsync();
                }

                databaseRestarted = true;
                actions.Add($"PostgreSQL stopped for {DatabaseOutage.TotalSeconds:0} s and started again");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(2000, 6000)));
        }

        actions.AddRange(await cluster.RecoverAsync(MembershipTimeout));
        var sent = await load.StopAsync();
        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        foreach (var action in actions) output.WriteLine(action);
        output.WriteLine("replies other than 250: " + string.Join(", ", sent.Where(m => m.Outcome != SendOutcome.Acknowledged)
            .GroupBy(m => m.Reply.Length > 9 ? m.Reply[..9] : m.Reply).Select(g => $"'{g.Key}' {g.Count()}")));
        output.WriteLine($"read through {cluster[0].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);

        Assert.True(databaseRestarted, "the run ended before PostgreSQL was restarted");
        Assert.Empty(report.Problems);
        Assert.DoesNotContain(sent, message => message.Outcome == SendOutcome.Rejected);
        Assert.True(report.Acknowledged > 0, report.ToString());
    }
}
