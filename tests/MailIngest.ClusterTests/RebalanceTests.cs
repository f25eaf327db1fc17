using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>Scenario 3: a fourth node joining under load takes shards over, and nothing acknowledged is lost.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RebalanceTests(PostgresFixture postgres, ITestOutputHelper output)
{
    // The coordinator rebalances every 10 s (least-shard allocation, a few shards per round).
    private static readonly TimeSpan RebalanceBound = TimeSpan.FromSeconds(45);

    [Fact(Timeout = 240_000)]
    public async Task Fourth_node_joining_under_load_takes_over_shards_without_losing_acknowledged_mail()
    {
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("rebalance"), 3);
        var recipients = SmtpLoad.Recipients("rebalance", 100);
        var load = SmtpLoad.Start("rebalance", clients: 10, () => cluster.RunningSmtpPorts, recipients, TimeSpan.FromMilliseconds(50));
        await load.WaitForAcknowledgedAsync(150, TimeSpan.FromSeconds(60));

        var startedAt = DateTime.UtcNow;
        var fourth = await cluster.AddNodeAsync();
        var upAt = DateTime.UtcNow;
        var rebalancedAt = (DateTime?)null;
        var shards = (IReadOnlyList<string>)[];
        while (DateTime.UtcNow < upAt + RebalanceBound)
        {
            shards = (await ClusterStatus.ReadAsync(fourth)).ShardsOf(fourth);
            if (shards.Count > 0)
            {
                rebalancedAt = DateTime.UtcNow;
                break;
            }

            await Task.Delay(250);
        }

        // The load goes on after the event: more messages acknowledged, not a fixed time, so a slow machine waits longer.
        await load.WaitForAcknowledgedAsync(load.Acknowledged + 50, TimeSpan.FromSeconds(60));
        var sent = await load.StopAsync();
        var report = await DeliveryCheck.VerifyAsync(fourth, sent);
        output.WriteLine($"fourth node Up {(upAt - startedAt).TotalSeconds:0.0} s after start; first shards on it " +
                         $"{(rebalancedAt - upAt)?.TotalSeconds:0.0} s after Up: {string.Join(", ", shards)}");
        output.WriteLine($"read through the new node: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);
        Assert.NotNull(rebalancedAt);
        Assert.Empty(report.Problems);
        Assert.DoesNotContain(sent, message => message.Outcome == SendOutcome.Rejected);
        await cluster.WaitForMembersAsync(4, TimeSpan.FromSeconds(10));
    }
}
