using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>/metrics on the real host: valid Prometheus text, and the counters move when mail is sent.</summary>
public sealed class MetricsTests(SingleNodeFixture node) : IClassFixture<SingleNodeFixture>
{
    private HostProcess Host => node.Host;

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await Host.Admin.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_parse_as_Prometheus_text_and_move_when_mail_is_sent()
    {
        var before = await ScrapeAsync();
        Assert.Equal(1, before["mailingest_cluster_members{status=\"Up\"}"]);
        Assert.Contains("mailingest_smtp_active_sessions", before.Series);
        Assert.Contains("mailingest_delivery_waiting_on_moving_shard", before.Series);

        for (var i = 0; i < 3; i++)
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(Host.SmtpPort, $"metrics-{i}", ["metrics@example.com"])).Outcome);

        // Event counters move at once; the shard and entity gauges within their 10 s refresh.
        var after = await Eventually.ValueAsync("the shard and entity gauges at 1 or more", ScrapeAsync,
            scrape => scrape["mailingest_mailbox_entities"] >= 1 && scrape["mailingest_shards"] >= 1, TimeSpan.FromSeconds(60),
            scrape => $"entities {scrape["mailingest_mailbox_entities"]}, shards {scrape["mailingest_shards"]}", TimeSpan.FromMilliseconds(500));

        Assert.True(after["mailingest_smtp_messages{outcome=\"accepted\"}"] - before["mailingest_smtp_messages{outcome=\"accepted\"}"] >= 3);
        // EHLO, MAIL, RCPT and the final reply: four 250s per message.
        Assert.True(after["mailingest_smtp_replies{code=\"250\"}"] - before["mailingest_smtp_replies{code=\"250\"}"] >= 3 * 4);
        Assert.True(after["mailingest_smtp_connections{admission=\"accept\"}"] - before["mailingest_smtp_connections{admission=\"accept\"}"] >= 3);
        Assert.True(after["mailingest_smtp_received_bytes"] > before["mailingest_smtp_received_bytes"]);
        Assert.True(after["mailingest_delivery_duration_seconds_count{outcome=\"accepted\"}"] - before["mailingest_delivery_duration_seconds_count{outcome=\"accepted\"}"] >= 3);
        Assert.True(after["mailingest_journal_write_duration_seconds_count"] - before["mailingest_journal_write_duration_seconds_count"] >= 3);
        Assert.True(after["mailingest_content_batch_size_count"] - before["mailingest_content_batch_size_count"] >= 1);
        Assert.True(after["mailingest_content_write_duration_seconds_count"] >= after["mailingest_content_batch_size_count"]);
        Assert.True(after["mailingest_journal_batch_size_count"] - before["mailingest_journal_batch_size_count"] >= 1);
        Assert.True(after["mailingest_journal_commit_duration_seconds_count"] >= after["mailingest_journal_batch_size_count"]);
        Assert.True(after["mailingest_mailbox_entities"] >= 1);
        Assert.True(after["mailingest_shards"] >= 1);
    }

    [Fact]
    public async Task Every_series_the_charts_dashboard_and_autoscaler_ask_for_is_exported()
    {
        // Webhook series come only from a node running webhooks: WebhookTests checks those.
        var asked = await ChartSeries.AskedAsync(webhooks: false);
        Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(Host.SmtpPort, "metrics-names", ["metrics@example.com"])).Outcome);

        var exported = ChartSeries.Exported(await ScrapeAsync());

        Assert.Contains("mailingest_smtp_active_sessions", asked);
        Assert.All(asked, name => Assert.Contains(name, exported));
    }
}
