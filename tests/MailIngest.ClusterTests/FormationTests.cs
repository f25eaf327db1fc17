using System.Diagnostics;
using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// Scenario 1: three processes form one cluster, and any node takes mail for mailboxes on any node, reads them, deletes
/// one message and empties them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FormationTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task Three_nodes_form_a_cluster_and_mail_sent_to_any_node_is_readable_through_every_node()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await HostCluster.StartAsync(await postgres.Server.CreateDatabaseAsync("formation"), 3);
        output.WriteLine($"three members Up on every node after {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var node in cluster.Nodes)
        {
            var status = await ClusterStatus.ReadAsync(node);
            Assert.Equal(cluster.Nodes.Select(n => n.ClusterAddress).Order(), status.UpAndReachable.Order());
        }

        var recipients = SmtpLoad.Recipients("formation", 100);
        var ports = cluster.RunningSmtpPorts;
        var sent = new List<SentMessage>();
        clock.Restart();
        // 300 messages, recipient i % 100, round-robin over the three SMTP ports, ten at a time.
        // A fresh cluster's first deliveries may exceed the delivery timeout (JIT, first journal writes): the client
        // retries a 451 as any MTA does, which also proves that a retry is not stored twice.
        var retried = 0;
        foreach (var batch in Enumerable.Range(0, 300).Chunk(10))
        {
            var results = await Task.WhenAll(batch.Select(i => SmtpTransaction.SendWithRetriesAsync(
                ports[i % ports.Length], $"formation-{i}", [recipients[i % recipients.Count]], attempts: 3, TimeSpan.FromSeconds(1))));
            sent.AddRange(results.Select(result => result.Last));
            retried += results.Count(result => result.Attempts > 1);
        }

        output.WriteLine($"300 messages sent in {clock.Elapsed.TotalSeconds:0.0} s ({retried} needed a retry): {SmtpLoad.Summary(sent)}");
        Assert.All(sent, message => Assert.Equal(SendOutcome.Acknowledged, message.Outcome));

        foreach (var reader in cluster.Nodes)
        {
            var report = await DeliveryCheck.VerifyAsync(reader, sent);
            output.WriteLine($"read through {reader.ClusterAddress}: {report}");
            Assert.Empty(report.Problems);
            Assert.Equal(300, report.AcknowledgedFound);
        }

        // Mailboxes really are spread: every node hosts shards.
        var shards = await ClusterStatus.ReadAsync(cluster[0]);
        foreach (var node in cluster.Nodes) Assert.NotEmpty(shards.ShardsOf(node));
        output.WriteLine(string.Join("; ", cluster.Nodes.Select(node => $"{node.ClusterAddress}: {shards.ShardsOf(node).Count} shards")));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_full_listing_page_of_long_subjects_is_read_through_a_node_that_does_not_host_the_mailbox()
    {
        const int count = 300;
        var database = await postgres.Server.CreateDatabaseAsync("bigpage");
        await using var cluster = await HostCluster.StartAsync(database, 3);
        const string mailbox = "formation-big@example.com";
        // A folded Subject of 3 000 characters: kept as its first 998 in the summary. 300 such items are far above
        // Akka.Remote's default 128 000-byte frame, which once dropped the page and made the read answer 503.
        var subject = string.Join("\r\n ", Enumerable.Range(0, 60).Select(i => $"part{i:D2}-" + new string('x', 40)));
        await using (var client = await RawSmtpClient.ConnectAsync(cluster[0].SmtpPort))
        {
            Assert.StartsWith("220", await client.ReadReplyAsync());
            await client.SendAsync("EHLO big.example.org\r\n");
            Assert.StartsWith("250", await client.ReadReplyAsync());
            for (var i = 0; i < count; i++)
            {
                await client.SendAsync($"MAIL FROM:<big@example.org>\r\nRCPT TO:<{mailbox}>\r\nDATA\r\n");
                Assert.Equal(["250", "250", "354"], (await client.ReadRepliesAsync(3)).Select(reply => reply[..3]));
                await client.SendAsync($"Message-ID: <big-{i}@big.example.org>\r\nSubject: {subject}\r\n\r\nbody {i}\r\n.\r\n");
                Assert.StartsWith("250", await client.ReadReplyAsync());
            }
        }

        var shard = Shards.Of(mailbox);
        var view = await ClusterStatus.ReadAsync(cluster[0]);
        var remoteReaders = cluster.Nodes.Where(node => !view.ShardsOf(node).Contains(shard)).ToArray();
        Assert.NotEmpty(remoteReaders);
        foreach (var reader in remoteReaders)
        {
            var page = await reader.GetJsonAsync($"/api/mailboxes/{mailbox}/messages?limit=500");
            var items = page.GetProperty("items").EnumerateArray().ToArray();
            output.WriteLine($"page of {items.Length} read through {reader.ClusterAddress} (shard {shard} lives elsewhere)");
            Assert.Equal(count, items.Length);
            Assert.All(items, item => Assert.Equal(998, item.GetProperty("subject").GetString()!.Length));
        }

        // One message deleted through a node that does not host the mailbox, on PostgreSQL: gone for every node at once,
        // its row gone from the journal table.
        var listed = (await remoteReaders[0].GetJsonAsync($"/api/mailboxes/{mailbox}/messages?offset=150&limit=1")).GetProperty("items")[0];
        var victim = listed.GetProperty("id").GetString()!;
        using (var deleted = await remoteReaders[0].Admin.DeleteAsync($"/api/mailboxes/{mailbox}/messages/{victim}"))
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        foreach (var node in cluster.Nodes)
        {
            using var gone = await node.Admin.GetAsync($"/api/mailboxes/{mailbox}/messages/{victim}");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal(count - 1, (await node.GetJsonAsync($"/api/mailboxes/{mailbox}/messages?limit=1")).GetProperty("total").GetInt32());
        }

        await Eventually.ValueAsync("the deleted message's row gone from PostgreSQL",
            async () => Convert.ToInt64(await PostgresServer.ScalarAsync(database,
                $"SELECT COUNT(*) FROM journal WHERE persistence_id = 'mailbox-{mailbox}' AND manifest = 'mbx.stored.v1'")),
            rows => rows == count - 1, TimeSpan.FromSeconds(30), rows => $"{rows} rows");

        // Emptied through a node that does not host it, on PostgreSQL: gone for every node at once.
        using (var deleted = await remoteReaders[0].Admin.DeleteAsync($"/api/mailboxes/{mailbox}"))
            Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        foreach (var node in cluster.Nodes) Assert.Empty(await node.ListAsync(mailbox));
    }
}
