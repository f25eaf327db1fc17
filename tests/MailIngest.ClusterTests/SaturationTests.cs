using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// The failover timing must not down a node that is only busy: with every core saturated by spinning processes and
/// SMTP load at full speed on all nodes, no member may leave Up (a removal would hand its shards away and restart it).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SaturationTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Saturation = TimeSpan.FromSeconds(45);

    [Fact(Timeout = 300_000)]
    public async Task Saturated_cpu_marks_no_member_down_or_removed()
    {
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("saturation"), 3);
        var expected = cluster.Nodes.Select(node => node.ClusterAddress).Order().ToArray();
        var load = SmtpLoad.Start("saturation", clients: 16, () => cluster.RunningSmtpPorts, SmtpLoad.Recipients("saturation", 100), TimeSpan.Zero);
        await load.WaitForAcknowledgedAsync(100, TimeSpan.FromSeconds(60));

        var violations = new List<string>();
        var unreachableSightings = 0;
        var polls = 0;
        var acknowledgedBefore = load.Sent.Count(message => message.Outcome == SendOutcome.Acknowledged);
        using (CpuBurner.Start(2 * Environment.ProcessorCount))
        {
            var until = DateTime.UtcNow + Saturation;
            while (DateTime.UtcNow < until)
            {
                foreach (var node in cluster.Nodes)
                {
                    var view = await ClusterStatus.ReadAsync(node);
                    polls++;
                    var members = view.Members.Select(member => member.Address).Order().ToArray();
                    if (!members.SequenceEqual(expected) || view.Members.Any(member => member.Status != "Up"))
                        violations.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {view.Node} sees {string.Join(", ", view.Members.Select(m => $"{m.Address} {m.Status}"))}");
                    unreachableSightings += view.Members.Count(member => !member.Reachable);
                }

                await Task.Delay(500);
            }
        }

        var sent = await load.StopAsync();
        var acknowledgedDuring = sent.Count(message => message.Outcome == SendOutcome.Acknowledged) - acknowledgedBefore;
        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        output.WriteLine($"{Saturation.TotalSeconds} s with {2 * Environment.ProcessorCount} spinning processes on {Environment.ProcessorCount} cores: " +
                         $"{acknowledgedDuring} messages acknowledged meanwhile; {polls} status reads, {violations.Count} with a member not Up, " +
                         $"{unreachableSightings} sightings of an unreachable member");
        output.WriteLine($"read through {cluster[0].ClusterAddress}: {report}");
        foreach (var violation in violations.Take(20)) output.WriteLine(violation);

        Assert.Empty(violations);
        Assert.All(cluster.Nodes, node => Assert.False(node.HasExited, $"{node.ClusterAddress} exited"));
        Assert.True(acknowledgedDuring > 0, "no message was acknowledged while the CPU was saturated");
        Assert.Empty(report.Problems);
    }
}
