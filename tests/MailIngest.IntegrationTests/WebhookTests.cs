using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>
/// Webhooks against a real HTTP receiver on loopback: signed, in feed order, through failures and timeouts, paused
/// and resumed, and resumed after a restart from the persisted position (including the other mail it passed).
/// </summary>
public sealed class WebhookTests
{
    private const string Secret = "a-webhook-secret-for-tests";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_copy_arrives_signed_and_in_order_through_failures_and_timeouts()
    {
        await using var receiver = WebhookReceiver.Start(Secret);
        // Three 500s, then two answers slower than the webhook's 1 s timeout, then 200s.
        receiver.Answer = n => n switch
        {
            <= 3 => (HttpStatusCode.InternalServerError, TimeSpan.Zero),
            <= 5 => (HttpStatusCode.OK, TimeSpan.FromSeconds(5)),
            _ => (HttpStatusCode.OK, TimeSpan.Zero),
        };
        using var data = new TempDirectory();
        var settings = receiver.Settings(name: "ordered");
        settings["MailIngest__Webhooks__0__Domains__0"] = "hook.test";
        settings["MailIngest__Webhooks__0__TimeoutSeconds"] = "1";
        settings["MailIngest__Webhooks__0__FirstRetrySeconds"] = "0.1";
        settings["MailIngest__Webhooks__0__MaxRetrySeconds"] = "0.5";
        await using var host = await HostProcess.StartReadyAsync(data.Path, settings);

        for (var i = 0; i < 20; i++)
            Assert.Equal(SendOutcome.Acknowledged,
                (await SmtpTransaction.SendAsync(host.SmtpPort, $"hooked-{i}", [$"to{i % 3}@hook.test", "other@elsewhere.test"])).Outcome);
        await receiver.WaitForAcceptedAsync(20, Deadline);

        var feed = await host.ReadUntilAsync(items => items.Count(item => item.GetProperty("mailbox").GetString()!.EndsWith("@hook.test")) == 20, Deadline);
        var expected = feed.Where(item => item.GetProperty("mailbox").GetString()!.EndsWith("@hook.test"))
            .Select(item => item.GetProperty("cursor").GetInt64()).ToArray();
        var arrived = receiver.Deliveries;
        Assert.All(arrived, delivery => Assert.True(delivery.SignatureValid, $"bad signature on cursor {delivery.Cursor}"));
        Assert.All(arrived, delivery => Assert.EndsWith("@hook.test", delivery.Mailbox));
        // In order: each copy is first sent only after every copy before it was accepted.
        Assert.Equal(expected, arrived.Select(delivery => delivery.Cursor).Distinct().ToArray());
        Assert.Equal(expected, receiver.Accepted.Select(delivery => delivery.Cursor).ToArray());
        Assert.True(receiver.Requests >= 25, $"{receiver.Requests} requests: the failures and timeouts were not retried");
        Assert.All(receiver.Accepted, delivery => Assert.Contains($"Subject: {delivery.Subject}", delivery.Raw));

        var state = await WebhookStateAsync(host, "ordered");
        Assert.Equal("active", state.GetProperty("state").GetString());
        Assert.Equal(expected[^1], state.GetProperty("position").GetInt64());
        Assert.Equal("no answer within 1 s", state.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_pauses_shows_why_and_resumes_by_admin_call()
    {
        await using var receiver = WebhookReceiver.Start(Secret);
        var failing = true;
        receiver.Answer = _ => (Volatile.Read(ref failing) ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK, TimeSpan.Zero);
        using var data = new TempDirectory();
        var settings = receiver.Settings(name: "fragile");
        settings["MailIngest__Webhooks__0__MaxAttempts"] = "3";
        settings["MailIngest__Webhooks__0__FirstRetrySeconds"] = "0.1";
        settings["MailIngest__Webhooks__0__PauseSeconds"] = "3600";
        await using var host = await HostProcess.StartReadyAsync(data.Path, settings);

        Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "paused-copy", ["p@pause.test"])).Outcome);
        var paused = await WaitForStateAsync(host, "fragile", "paused");
        Assert.Equal("HTTP 503 Service Unavailable", paused.GetProperty("lastError").GetString());
        Assert.Equal(3, paused.GetProperty("failures").GetInt32());
        Assert.Equal(3, receiver.Deliveries.Count);
        await host.WaitForOutputAsync("Webhook fragile paused after 3 failed attempts", Deadline);
        var metrics = PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"));
        Assert.Equal(3, metrics["mailingest_webhook_attempts{outcome=\"failed\",webhook=\"fragile\"}"]);
        Assert.Equal(1, metrics["mailingest_webhooks_paused{webhook=\"fragile\"}"]);
        var webhookSeries = await ChartSeries.AskedAsync(webhooks: true);
        var exported = ChartSeries.Exported(metrics);
        Assert.NotEmpty(webhookSeries);
        Assert.All(webhookSeries, name => Assert.Contains(name, exported));

        using (var unknown = await host.Admin.PostAsync("/api/webhooks/nope/resume", null))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Volatile.Write(ref failing, false);
        using (var resume = await host.Admin.PostAsync("/api/webhooks/fragile/resume", null))
            Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        await receiver.WaitForAcceptedAsync(1, Deadline);
        Assert.Equal("paused-copy", receiver.Accepted[0].Subject);
        await WaitForStateAsync(host, "fragile", "active");
        metrics = PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics["mailingest_webhook_attempts{outcome=\"delivered\",webhook=\"fragile\"}"]);
        Assert.Equal(0, metrics["mailingest_webhooks_paused{webhook=\"fragile\"}"]);
    }

    [Fact]
    public async Task After_a_restart_the_webhook_goes_on_after_its_persisted_position()
    {
        await using var receiver = WebhookReceiver.Start(Secret);
        using var data = new TempDirectory();
        var settings = receiver.Settings();
        var host = await HostProcess.StartReadyAsync(data.Path, settings);
        try
        {
            for (var i = 0; i < 5; i++)
                Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, $"first-{i}", ["r@restart-hook.test"])).Outcome);
            await receiver.WaitForAcceptedAsync(5, Deadline);
            Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(60)));
            await host.DisposeAsync();

            host = HostProcess.Start(data.Path, settings, host.SmtpPort, host.AdminPort, host.ClusterPort);
            await host.WaitReadyAsync();
            await host.WaitForOutputAsync("starts after feed cursor", Deadline);
            for (var i = 0; i < 2; i++)
                Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, $"second-{i}", ["r@restart-hook.test"])).Outcome);
            await receiver.WaitForAcceptedAsync(7, Deadline);

            // A clean stop persisted every acknowledged position: nothing was sent twice.
            Assert.Equal(7, receiver.Deliveries.Count);
            Assert.Equal(["first-0", "first-1", "first-2", "first-3", "first-4", "second-0", "second-1"], receiver.Accepted.Select(d => d.Subject));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_webhook_for_a_rare_domain_persists_how_far_it_passed_other_mail_and_restarts_from_there()
    {
        await using var receiver = WebhookReceiver.Start(Secret);
        using var data = new TempDirectory();
        var settings = receiver.Settings(name: "rare");
        settings["MailIngest__Webhooks__0__Domains__0"] = "rare.test";
        var host = await HostProcess.StartReadyAsync(data.Path, settings);
        try
        {
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "rare-0", ["r@rare.test"])).Outcome);
            await receiver.WaitForAcceptedAsync(1, Deadline);
            var delivered = receiver.Accepted[0].Cursor;

            // 1200 copies for another domain: the webhook passes them and records that it did.
            var bulk = Enumerable.Range(0, 100).Select(i => $"b{i}@common.test").ToArray();
            for (var i = 0; i < 12; i++)
                Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, $"common-{i}", bulk)).Outcome);
            var passed = (await WaitForAsync(host, "rare", state => state.GetProperty("position").GetInt64() >= delivered + 1000,
                $"past cursor {delivered + 1000}")).GetProperty("position").GetInt64();
            Assert.Single(receiver.Deliveries);

            Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(60)));
            await host.DisposeAsync();
            host = HostProcess.Start(data.Path, settings, host.SmtpPort, host.AdminPort, host.ClusterPort);
            await host.WaitReadyAsync();
            const string resuming = "Webhook rare starts after feed cursor ";
            await host.WaitForOutputAsync(resuming, Deadline);
            var resumedAfter = long.Parse(Regex.Match(host.Output, resuming + @"(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(resumedAfter >= passed, $"restarted after cursor {resumedAfter}, before the {passed} it had passed");

            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "rare-1", ["r@rare.test"])).Outcome);
            await receiver.WaitForAcceptedAsync(2, Deadline);
            Assert.Equal(["rare-0", "rare-1"], receiver.Deliveries.Select(delivery => delivery.Subject));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<JsonElement> WebhookStateAsync(HostProcess host, string name) =>
        (await host.GetJsonAsync("/status")).GetProperty("webhooks").EnumerateArray()
        .Single(webhook => webhook.GetProperty("name").GetString() == name).Clone();

    private static Task<JsonElement> WaitForStateAsync(HostProcess host, string name, string state) =>
        WaitForAsync(host, name, current => current.GetProperty("state").GetString() == state, state);

    private static Task<JsonElement> WaitForAsync(HostProcess host, string name, Func<JsonElement, bool> reached, string what) =>
        Eventually.ValueAsync($"webhook {name} {what}", () => WebhookStateAsync(host, name), reached, Deadline, current => $"last: {current}");
}
