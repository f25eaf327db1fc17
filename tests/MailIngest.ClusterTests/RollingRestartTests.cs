using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// What <c>helm upgrade</c> does to the StatefulSet, under load through every node: each pod in turn, highest ordinal
/// first, gets SIGTERM, drains, exits 0, comes back with the same address and rejoins. Senders see 421 4.3.2 (or a
/// refused connection) only on the node that is draining or down, never a 451 or a hang elsewhere.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RollingRestartTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 420_000)]
    public async Task Rolling_restart_under_load_loses_nothing_and_only_the_draining_node_answers_421()
    {
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("rolling"), 3);
        var outages = new NodeOutages();
        var load = SmtpLoad.Start("rolling", clients: 10, () => cluster.RunningSmtpPorts, SmtpLoad.Recipients("rolling", 100), TimeSpan.FromMilliseconds(20));
        await load.WaitForAcknowledgedAsync(150, TimeSpan.FromSeconds(60));

        foreach (var index in new[] { 2, 1, 0 })
        {
            var node = cluster[index];
            outages.Down(node);
            var exitCode = await node.TerminateAsync(ExitTimeout);
            Assert.True(exitCode == 0, $"{node.ClusterAddress} exited with {exitCode}:\n{node.Output}");
            await cluster.RestartAsync(index);
            outages.Up(node.SmtpPort);
            await cluster.WaitForMembersAsync(3, MembershipTimeout);
            output.WriteLine($"{node.ClusterAddress} drained, exited 0 and is back");
            var acknowledged = load.Sent.Count(message => message.Outcome == SendOutcome.Acknowledged);
            await load.WaitForAcknowledgedAsync(acknowledged + 100, TimeSpan.FromSeconds(60));
        }

        var sent = await load.StopAsync();
        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        var touched = sent.Where(outages.Touched).ToArray();
        var elsewhere = sent.Where(message => !outages.Touched(message)).ToArray();
        output.WriteLine($"on a draining or restarting node: {SmtpLoad.Summary(touched)}; replies: " +
                         string.Join(", ", touched.GroupBy(m => m.Reply.Length > 9 ? m.Reply[..9] : m.Reply).Select(g => $"'{g.Key}' {g.Count()}")));
        output.WriteLine($"on the other nodes: {SmtpLoad.Summary(elsewhere)}, longest {elsewhere.Max(m => (m.Finished - m.Started).TotalSeconds):0.00} s");
        output.WriteLine($"read through {cluster[0].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);

        Assert.Empty(report.Problems);
        Assert.All(elsewhere, message => Assert.True(message.Outcome == SendOutcome.Acknowledged,
            $"{message.Subject} on a node that stayed up: {message.Outcome} {message.Reply}"));
        Assert.All(touched, message => Assert.True(
            message.Outcome is SendOutcome.Acknowledged or SendOutcome.Refused
            || message is { Outcome: SendOutcome.Deferred, Reply: var reply } && reply.StartsWith("421 4.3.2", StringComparison.Ordinal),
            $"{message.Subject} on the draining node: {message.Outcome} {message.Reply}"));
    }
}
