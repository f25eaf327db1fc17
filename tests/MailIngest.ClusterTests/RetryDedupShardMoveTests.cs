using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// A transaction deferred after one recipient's copy was persisted, then retried after that mailbox's shard moved to
/// another node (its node drained with SIGTERM): every recipient holds exactly one copy, and a later identical message
/// without Message-ID is kept as a second one. The deferral is real: a trigger in PostgreSQL refuses one mailbox's rows.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RetryDedupShardMoveTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Alert = "From: <alert@example.org>\r\nSubject: disk 90% on db1\r\n\r\ndisk 90% on db1\r\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 300_000)]
    public async Task Retry_after_the_stored_copy_moved_to_another_node_leaves_one_copy_per_recipient()
    {
        var database = await postgres.Server.CreateDatabaseAsync("retrymove");
        await using var cluster = await HostCluster.StartAsync(database, 3,
            new Dictionary<string, string> { ["MailIngest__Smtp__DeliveryTimeoutSeconds"] = "3" });
        string[] recipients = ["moved-good@example.com", "moved-broken@example.com"];
        await PostgresServer.ExecuteAsync(database, """
            CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
            CREATE TRIGGER refuse_mailbox BEFORE INSERT ON journal FOR EACH ROW
              WHEN (NEW.persistence_id = 'mailbox-moved-broken@example.com') EXECUTE FUNCTION refuse_row();
            """);

        Assert.Equal(451, await PythonSmtp.SendAsync(cluster[0].SmtpPort, "alert@example.org", recipients, Alert));
        Assert.Single(await cluster[0].ListAllAsync(recipients[0], Patience));
        await PostgresServer.ExecuteAsync(database, "DROP TRIGGER refuse_mailbox ON journal");

        // Drain the node that holds the stored copy's shard, so the retry meets the mailbox recovered elsewhere.
        var view = await ClusterStatus.ReadAsync(cluster[0]);
        var holder = cluster.Running.Single(node => view.ShardsOf(node).Contains(Shards.Of(recipients[0])));
        holder.SendTerminate();
        Assert.Equal(0, await holder.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await cluster.WaitForMembersAsync(2, Patience);
        var survivor = cluster.Running[0];
        output.WriteLine($"drained {holder.ClusterAddress}, which held shard {Shards.Of(recipients[0])}; retrying through {survivor.ClusterAddress}");

        var retry = await SendUntilAcceptedAsync(survivor, recipients);
        var afterRetry = await CountsAsync(survivor, recipients);
        var next = await SendUntilAcceptedAsync(survivor, recipients);
        var afterNext = await CountsAsync(survivor, recipients);

        output.WriteLine($"retry accepted after {retry} attempt(s): {string.Join(", ", afterRetry)}; next after {next}: {string.Join(", ", afterNext)}");
        Assert.Equal([1, 1], afterRetry);
        Assert.Equal([2, 2], afterNext);
    }

    /// <summary>Sends as an MTA does: a 451 while a shard is still moving is retried; returns the attempts taken.</summary>
    private static async Task<int> SendUntilAcceptedAsync(HostProcess node, string[] recipients)
    {
        var deadline = DateTime.UtcNow + Patience;
        for (var attempt = 1; ; attempt++)
        {
            var code = await PythonSmtp.SendAsync(node.SmtpPort, "alert@example.org", recipients, Alert);
            if (code == 250) return attempt;
            Assert.True(code == 451 && DateTime.UtcNow < deadline, $"attempt {attempt}: {code}");
        }
    }

    private static async Task<int[]> CountsAsync(HostProcess node, IEnumerable<string> recipients) =>
        await Task.WhenAll(recipients.Select(async recipient => (await node.ListAllAsync(recipient, Patience)).Count));
}
