using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// Scenario: the lifecycle on a three-node cluster on PostgreSQL. A mailbox that fills up on one node is refused at RCPT
/// on every node (its state travels by pub-sub), an erasure taken by one node deletes copies whose mailboxes live on
/// the others, and retention (a cluster singleton on whichever node) expires a domain's mail wherever it lives.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LifecycleClusterTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 240_000)]
    public async Task Quota_erasure_and_retention_work_across_nodes_on_PostgreSQL()
    {
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("lifecycle"), 3,
            new Dictionary<string, string>
            {
                ["MailIngest__Quota__MaxMessagesPerMailbox"] = "2",
                ["MailIngest__Retention__Domains__0__Domain"] = "expire.example.com",
                ["MailIngest__Retention__Domains__0__MaxAge"] = "00:00:05",
            });

        // Quota: filled through node 0; every node refuses RCPT to it, including one that does not host it.
        const string full = "full@lifecycle.example.com";
        for (var i = 0; i < 2; i++) await SendAsync(cluster[0], $"fill-{i}", [full]);
        foreach (var node in cluster.Nodes)
        {
            await Eventually.ValueAsync($"RCPT to the full mailbox refused by {node.ClusterAddress}", () => RcptAsync(node, full),
                reply => reply.StartsWith("452 4.2.2", StringComparison.Ordinal), Patience, reply => $"RCPT answered {reply}");
        }

        output.WriteLine($"{full} (shard {Shards.Of(full)}) refused on all three nodes");

        // Erasure through node 1 of mail sent from one address to ten mailboxes spread over the nodes.
        const string person = "erased@sender.example.org";
        var recipients = Enumerable.Range(0, 10).Select(i => $"box{i}@lifecycle.example.com").ToArray();
        foreach (var recipient in recipients) await SendAsync(cluster[2], $"from the person to {recipient}", [recipient], person);
        await SendAsync(cluster[2], "kept", [recipients[0]]);
        var view = await ClusterStatus.ReadAsync(cluster[0]);
        var hosts = recipients.Select(recipient => cluster.Nodes.Single(node => view.ShardsOf(node).Contains(Shards.Of(recipient)))).Distinct().Count();
        output.WriteLine($"the person's ten recipients live on {hosts} nodes");
        Assert.True(hosts > 1, "the recipients should be spread over the nodes");
        using (var response = await cluster[1].Admin.PostAsJsonAsync("/api/erasure", new { address = person, includeSender = true }))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var job = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("done", 10), (job.GetProperty("status").GetString(), job.GetProperty("sent").GetInt32()));
        }

        foreach (var node in cluster.Nodes)
        {
            Assert.Equal(["kept"], (await node.ListAsync(recipients[0])).Select(item => item.GetProperty("subject").GetString()));
            Assert.Empty(await node.ListAsync(recipients[5]));
        }

        // Retention: the short-lived domain's mail goes, wherever its mailboxes live; other mail stays.
        var expiring = Enumerable.Range(0, 6).Select(i => $"box{i}@expire.example.com").ToArray();
        foreach (var recipient in expiring) await SendAsync(cluster[0], "expires", [recipient]);
        await Eventually.TrueAsync("the short-lived domain's mail expired on every node", async () =>
        {
            foreach (var recipient in expiring)
            {
                if ((await cluster[1].ListAsync(recipient)).Count > 0) return false;
            }

            return true;
        }, Patience);
        Assert.Equal(["kept"], (await cluster[2].ListAsync(recipients[0])).Select(item => item.GetProperty("subject").GetString()));
        Assert.Equal(2, (await cluster[2].ListAsync(full)).Count);
    }

    private static Task SendAsync(HostProcess node, string subject, string[] to, string from = "sender@lifecycle.example.org") =>
        Swaks.SendAcceptedAsync(node.SmtpPort, string.Join(',', to), subject, from, "lifecycle test");

    /// <summary>The reply RCPT TO gets for <paramref name="address"/>; nothing is sent.</summary>
    private static async Task<string> RcptAsync(HostProcess node, string address)
    {
        await using var client = await RawSmtpClient.ConnectAsync(node.SmtpPort);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.SendAsync($"EHLO lifecycle.example.org\r\nMAIL FROM:<probe@example.org>\r\nRCPT TO:<{address}>\r\nQUIT\r\n");
        return (await client.ReadRepliesAsync(4))[2];
    }
}
