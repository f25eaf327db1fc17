using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>
/// Retention:MaxAge on a real node: mail past its age is deleted by the sweeper within its bound, a domain with an
/// age of its own (here: none, keep forever) keeps its mail, newer mail stays, and /metrics counts what expired.
/// </summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(6);
    // A message is gone within a minute of its age (the sweep runs every 15 s for ages up to 20 minutes); a slow
    // machine gets more.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Mail_past_its_age_is_deleted_and_a_domain_kept_forever_keeps_its_mail()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Retention__MaxAge"] = MaxAge.ToString(),
            ["MailIngest__Retention__Domains__0__Domain"] = "KEEP.example.com",
            ["MailIngest__Retention__Domains__1__Domain"] = "later.example.com",
            ["MailIngest__Retention__Domains__1__MaxAge"] = "01:00:00",
        });
        foreach (var (to, subject) in new[]
        {
            ("old@example.com", "old-1"), ("old@example.com", "old-2"), ("kept@keep.example.com", "kept"), ("later@later.example.com", "later"),
        })
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, subject, [to])).Outcome);
        var sentAt = DateTime.UtcNow;
        // Not before its age: right after sending, both are listed.
        Assert.Equal(2, (await host.ListAsync("old@example.com")).Count);

        await Eventually.TrueAsync("old@example.com emptied by retention", async () => (await host.ListAsync("old@example.com")).Count == 0, Patience);
        var goneAfter = DateTime.UtcNow - sentAt;
        Assert.True(goneAfter >= MaxAge - TimeSpan.FromSeconds(1), $"deleted after {goneAfter.TotalSeconds:0.0} s, before its age");

        Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "new", ["old@example.com"])).Outcome);
        Assert.Equal(["new"], (await host.ListAsync("old@example.com")).Select(item => item.GetProperty("subject").GetString() ?? ""));
        await host.SingleBySubjectAsync("kept@keep.example.com", "kept");
        // The listing changes as soon as the mailbox decides; the sweeper counts once the deletion is durable.
        await Eventually.ValueAsync("2 in mailingest_messages_expired",
            async () => PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"))["mailingest_messages_expired"],
            expired => expired == 2, Patience, expired => $"{expired}");
        await host.WaitForOutputAsync("Retention deleted", Patience);

        // /status says the same, with the age of the oldest message retention waits on ("later", an hour's age; "kept" is
        // kept forever), and what storage takes.
        var lifecycle = await Eventually.ValueAsync("the sweeper waiting on 'later' in /status",
            async () => (await host.GetJsonAsync("/status")).GetProperty("lifecycle"),
            status => status.GetProperty("oldestWaitingAgeSeconds").ValueKind == System.Text.Json.JsonValueKind.Number, Patience,
            status => status.ToString());
        Assert.Equal(2, lifecycle.GetProperty("expired").GetInt64());
        Assert.InRange(lifecycle.GetProperty("oldestWaitingAgeSeconds").GetInt64(), 0, (long)(DateTime.UtcNow - sentAt).TotalSeconds + 1);
        Assert.True(lifecycle.GetProperty("databaseBytes").GetInt64() > 0, lifecycle.ToString());
        Assert.True(lifecycle.GetProperty("dataDirectoryBytes").GetInt64() >= lifecycle.GetProperty("databaseBytes").GetInt64(), lifecycle.ToString());
    }
}
