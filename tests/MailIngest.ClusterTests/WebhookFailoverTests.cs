using System.Text.Json;
using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// The feed and a webhook across a cluster on PostgreSQL: every node reads the same feed, and when the node running
/// the webhook singleton is killed mid-stream the webhook goes on from another node and skips nothing.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WebhookFailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Secret = "cluster-webhook-secret";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    [Fact(Timeout = 420_000)]
    public async Task Killing_the_webhook_singletons_node_mid_stream_skips_no_copy_and_keeps_feed_order()
    {
        await using var receiver = WebhookReceiver.Start(Secret);
        var settings = receiver.Settings(name: "failover");
        settings["MailIngest__Webhooks__0__FirstRetrySeconds"] = "0.2";
        settings["MailIngest__Webhooks__0__MaxRetrySeconds"] = "1";
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("webhooks"), 3, settings);
        var recipients = SmtpLoad.Recipients("hook-failover", 30);
        var load = SmtpLoad.Start("hook-failover", clients: 4, () => cluster.RunningSmtpPorts, recipients, TimeSpan.FromMilliseconds(20));
        await receiver.WaitForAcceptedAsync(50, TimeSpan.FromSeconds(90));

        // The singleton runs on the oldest member.
        var view = await ClusterStatus.ReadAsync(cluster.Running[0]);
        var victim = cluster.Nodes.Single(node => node.ClusterAddress == view.Oldest);
        var killedAt = DateTime.UtcNow;
        await victim.KillAsync();
        await load.WaitForAcknowledgedAsync(load.Sent.Count(m => m.Outcome == SendOutcome.Acknowledged) + 100, TimeSpan.FromSeconds(90));
        var sent = await load.StopAsync();

        // Every acknowledged copy is in the feed, read through a survivor; another survivor reads the same feed.
        var acknowledged = sent.Where(message => message.Outcome == SendOutcome.Acknowledged)
            .SelectMany(message => message.Recipients.Select(recipient => (Mailbox: recipient.ToLowerInvariant(), message.Subject)))
            .ToHashSet();
        var (first, second) = (cluster.Running[0], cluster.Running[1]);
        var feed = await first.ReadUntilAsync(items => acknowledged.IsSubsetOf(items.Select(Copy)), Deadline, limit: 500);
        var cursors = feed.Select(item => item.GetProperty("cursor").GetInt64()).ToArray();
        var again = await second.ReadUntilAsync(items => items.Count >= cursors.Length, Deadline, limit: 500);
        Assert.Equal(cursors, again.Take(cursors.Length).Select(item => item.GetProperty("cursor").GetInt64()));

        await receiver.WaitForAcceptedAsync(cursors.Length, Deadline);
        // The webhook's outage as the receiver saw it: the longest silence between two requests after the kill.
        var arrivals = receiver.Deliveries.Select(delivery => delivery.ArrivedAt).Where(at => at >= killedAt).Prepend(killedAt).ToArray();
        var silence = arrivals.Zip(arrivals.Skip(1), (before, after) => after - before).DefaultIfEmpty().Max();
        var state = (await second.GetJsonAsync("/status")).GetProperty("webhooks")[0];
        output.WriteLine($"{sent.Count} sent ({acknowledged.Count} acknowledged copies), feed {cursors.Length} copies; " +
                         $"webhook: {receiver.Requests} requests, {receiver.Accepted.Count} copies accepted, " +
                         $"{receiver.Deliveries.Count - receiver.Accepted.Count} repeats or failures; state now {state}");
        output.WriteLine($"killed {victim.ClusterAddress}; the webhook went on from {(await ClusterStatus.ReadAsync(second)).Oldest}; " +
                         $"longest silence at the receiver after the kill {silence.TotalSeconds:0.0} s");

        Assert.All(receiver.Deliveries, delivery => Assert.True(delivery.SignatureValid, $"bad signature on cursor {delivery.Cursor}"));
        // Nothing skipped and nothing out of order: the first arrival of each copy follows the feed exactly (the load
        // went on for 100 acknowledged messages after the kill, so the webhook went on from another node).
        Assert.Equal(cursors, receiver.Accepted.Take(cursors.Length).Select(delivery => delivery.Cursor));
        Assert.Equal("active", state.GetProperty("state").GetString());
    }

    private static (string Mailbox, string Subject) Copy(JsonElement item) =>
        (item.GetProperty("mailbox").GetString()!, item.GetProperty("subject").GetString()!);
}
