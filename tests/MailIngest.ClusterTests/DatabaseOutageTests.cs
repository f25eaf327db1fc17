using System.Net;
using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// Scenario 5: PostgreSQL down for 10 s under load: 451 4.3.0 meanwhile, /readyz 503, a mailbox read answers 503 with
/// a reason through every node, then acceptance resumes by itself.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DatabaseOutageTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 240_000)]
    public async Task Database_outage_defers_mail_with_451_and_acceptance_resumes_without_restart()
    {
        var server = postgres.Server;
        // A short delivery deadline: transactions during the outage must end in 451 while it lasts, not wait it out.
        await using var cluster = await HostCluster.StartAsync(await server.CreateDatabaseAsync("outage"), 3,
            new Dictionary<string, string> { ["MailIngest__Smtp__DeliveryTimeoutSeconds"] = "5" });
        var recipients = SmtpLoad.Recipients("outage", 100);
        var load = SmtpLoad.Start("outage", clients: 6, () => cluster.RunningSmtpPorts, recipients, TimeSpan.FromMilliseconds(50));
        await load.WaitForAcknowledgedAsync(100, TimeSpan.FromSeconds(60));
        // A mailbox outside the load: its entity is running and idle when the database goes, so a read of it reaches
        // the journal (an entity whose write failed has stopped, and would time out instead).
        const string reader = "outage-reader@example.com";
        Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(cluster[0].SmtpPort, "read during the outage", [reader])).Outcome);
        var listing = $"/api/mailboxes/{reader}/messages";
        foreach (var node in cluster.Nodes) Assert.Equal(HttpStatusCode.OK, (await node.Admin.GetAsync(listing)).StatusCode);

        DateTime stoppedAt, restartingAt, restartedAt;
        var notReady = new HashSet<int>();
        (int Port, HttpStatusCode Status, string Body)[] readsDuringOutage;
        await server.StopServerAsync();
        try
        {
            stoppedAt = DateTime.UtcNow;
            var reads = Task.WhenAll(cluster.Nodes.Select(async node =>
            {
                using var response = await node.Admin.GetAsync(listing);
                return (node.AdminPort, response.StatusCode, await response.Content.ReadAsStringAsync());
            }));
            while (DateTime.UtcNow < stoppedAt + Outage)
            {
                foreach (var node in cluster.Nodes)
                    if (await node.ReadyStatusAsync() is 503) notReady.Add(node.AdminPort);
                await Task.Delay(250);
            }

            readsDuringOutage = await reads;
        }
        finally
        {
            restartingAt = DateTime.UtcNow;
            if (!server.Running) await server.StartServerAsync();
            restartedAt = DateTime.UtcNow;
        }

        var resumedAt = (DateTime?)null;
        while (resumedAt is null && DateTime.UtcNow < restartedAt + RecoveryBound)
        {
            resumedAt = load.Sent.Where(m => m.Outcome == SendOutcome.Acknowledged && m.Started >= restartedAt)
                .Select(m => (DateTime?)m.Finished).Min();
            await Task.Delay(100);
        }

        // The load goes on after the event: more messages acknowledged, not a fixed time, so a slow machine waits longer.
        await load.WaitForAcknowledgedAsync(load.Acknowledged + 50, TimeSpan.FromSeconds(60));
        var sent = await load.StopAsync();
        var readyAgain = await Task.WhenAll(cluster.Nodes.Select(node => node.ReadyStatusAsync()));
        var duringOutage = sent.Where(m => m.Started >= stoppedAt && m.Finished <= restartingAt).ToArray();
        var report = await DeliveryCheck.VerifyAsync(cluster[0], sent);
        output.WriteLine($"during the {Outage.TotalSeconds} s outage: {SmtpLoad.Summary(duringOutage)}; replies: " +
                         string.Join(", ", duringOutage.GroupBy(m => m.Reply.Length > 9 ? m.Reply[..9] : m.Reply).Select(g => $"'{g.Key}' {g.Count()}")));
        output.WriteLine($"/readyz 503 seen on {notReady.Count} of {cluster.Nodes.Count} nodes; after: {string.Join(", ", readyAgain)}");
        foreach (var read in readsDuringOutage) output.WriteLine($"GET {listing} on :{read.Port} during the outage: {(int)read.Status} {read.Body}");
        output.WriteLine($"first 250 {(resumedAt - restartedAt)?.TotalSeconds:0.0} s after PostgreSQL was back (start took {(restartedAt - restartingAt).TotalSeconds:0.0} s)");
        output.WriteLine($"read through {cluster[0].ClusterAddress}: {report}");
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);

        Assert.NotEmpty(duringOutage);
        Assert.All(duringOutage, message => Assert.True(
            message is { Outcome: SendOutcome.Deferred, Reply: var reply } && reply.StartsWith("451 4.3.0", StringComparison.Ordinal),
            $"{message.Subject}: {message.Outcome} {message.Reply}"));
        Assert.Equal(cluster.Nodes.Count, notReady.Count);
        Assert.All(readsDuringOutage, read => Assert.True(
            read.Status == HttpStatusCode.ServiceUnavailable && read.Body.Contains("\"error\"", StringComparison.Ordinal),
            $":{read.Port} answered {(int)read.Status} {read.Body}"));
        Assert.NotNull(resumedAt);
        Assert.All(readyAgain, status => Assert.Equal(200, status));
        Assert.Empty(report.Problems);
        Assert.DoesNotContain(sent, message => message.Outcome == SendOutcome.Rejected);
    }
}
