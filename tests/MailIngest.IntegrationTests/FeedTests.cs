using System.Net;
using System.Text.Json;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>/api/feed on a real host: every copy once and in order, filters, long polls, bad input, restarts.</summary>
public sealed class FeedTests(SingleNodeFixture node) : IClassFixture<SingleNodeFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private HostProcess Host => node.Host;

    [Fact]
    public async Task Pages_hold_every_copy_once_in_one_increasing_order()
    {
        // From the feed's end: the host is shared by the class, and paging in sevens through what the other tests wrote
        // (thousands of copies) would only spend the deadline.
        var start = await EndAsync();
        var subjects = Enumerable.Range(0, 30).Select(i => $"feed-order-{i}").ToArray();
        foreach (var subject in subjects)
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(Host.SmtpPort, subject, ["one@order-a.test", "two@order-b.test"])).Outcome);

        // Small pages, so the test crosses many page boundaries.
        var read = await Host.ReadUntilAsync(items => Ours(items, "feed-order-").Length == 60, Deadline, after: start, limit: 7);

        var cursors = read.Select(item => item.GetProperty("cursor").GetInt64()).ToArray();
        Assert.Equal(cursors.Order(), cursors);
        Assert.Equal(cursors.Length, cursors.Distinct().Count());
        var copies = Ours(read, "feed-order-").Select(item => (item.GetProperty("mailbox").GetString(), item.GetProperty("subject").GetString())).ToArray();
        Assert.Equal(60, copies.Distinct().Count());
        Assert.All(subjects, subject => Assert.Contains(("one@order-a.test", subject), copies));
        // The two copies of one message go to two mailboxes at once: either may come first in the journal.
        var first = Ours(read, "feed-order-").First(item => item.GetProperty("mailbox").GetString() == "one@order-a.test");
        Assert.Equal("one@order-a.test", first.GetProperty("envelope").GetProperty("rcptTo").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("envelope").GetProperty("mailFrom").GetString()));

        // The raw link works as given.
        var raw = await Host.Admin.GetStringAsync(first.GetProperty("rawPath").GetString());
        Assert.Contains("Subject: feed-order-", raw);
    }

    [Fact]
    public async Task Domain_and_mailbox_filters_return_only_their_copies()
    {
        for (var i = 0; i < 5; i++)
            Assert.Equal(SendOutcome.Acknowledged,
                (await SmtpTransaction.SendAsync(Host.SmtpPort, $"feed-filter-{i}", ["x@filter-a.test", "y@filter-a.test", "z@filter-b.test"])).Outcome);

        var byDomain = await Host.ReadUntilAsync(items => Ours(items, "feed-filter-").Length == 10, Deadline, filter: "&domain=FILTER-A.test");
        Assert.All(byDomain, item => Assert.EndsWith("@filter-a.test", item.GetProperty("mailbox").GetString()));

        var twoDomains = await Host.ReadUntilAsync(items => Ours(items, "feed-filter-").Length == 15, Deadline, filter: "&domain=filter-a.test&domain=filter-b.test");
        Assert.Equal(15, twoDomains.Count(item => item.GetProperty("subject").GetString()!.StartsWith("feed-filter-", StringComparison.Ordinal)));

        var byMailbox = await Host.ReadUntilAsync(items => Ours(items, "feed-filter-").Length == 5, Deadline, filter: "&mailbox=%3CZ@Filter-B.test%3E");
        Assert.All(byMailbox, item => Assert.Equal("z@filter-b.test", item.GetProperty("mailbox").GetString()));
    }

    [Fact]
    public async Task A_long_poll_answers_when_a_copy_arrives()
    {
        var end = await EndAsync();
        var poll = Host.PageAsync($"after={end}&wait=60&mailbox=poll@feed.test");
        Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(Host.SmtpPort, "feed-poll", ["poll@feed.test"])).Outcome);

        // Without the long poll the request would come back empty; with it, it comes back with the copy well
        // before its 60 s wait is over.
        var (items, next) = await poll;
        var item = Assert.Single(items);
        Assert.Equal("feed-poll", item.GetProperty("subject").GetString());
        Assert.Equal(item.GetProperty("cursor").GetInt64(), next);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("after=-1")]
    [InlineData("wait=61")]
    [InlineData("wait=-1")]
    [InlineData("mailbox=not-an-address")]
    public async Task Bad_parameters_get_400_with_a_reason(string query)
    {
        using var response = await Host.Admin.GetAsync("/api/feed?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task A_cursor_from_before_a_restart_resumes_after_the_same_copy()
    {
        using var data = new TempDirectory();
        var host = await HostProcess.StartReadyAsync(data.Path);
        try
        {
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "before-restart", ["r@restart.test"])).Outcome);
            var before = await host.ReadUntilAsync(items => items.Count == 1, Deadline);
            var cursor = before[0].GetProperty("cursor").GetInt64();
            Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(60)));
            await host.DisposeAsync();

            host = HostProcess.Start(data.Path, smtpPort: host.SmtpPort, adminPort: host.AdminPort, clusterPort: host.ClusterPort);
            await host.WaitReadyAsync();
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "after-restart", ["r@restart.test"])).Outcome);
            var after = await host.ReadUntilAsync(items => items.Count == 1, Deadline, after: cursor);
            Assert.Equal("after-restart", after[0].GetProperty("subject").GetString());
            Assert.True(after[0].GetProperty("cursor").GetInt64() > cursor);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_narrow_filter_over_a_long_stretch_of_other_mail_moves_its_cursor_on_a_bounded_step_at_a_time()
    {
        var start = await EndAsync();
        // 5500 copies for other mailboxes, then the one copy the filter wants: more than one request's scan.
        var bulk = Enumerable.Range(0, 100).Select(i => $"bulk{i}@scan-bulk.test").ToArray();
        for (var i = 0; i < 55; i++)
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(Host.SmtpPort, $"feed-scan-{i}", bulk)).Outcome);
        Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(Host.SmtpPort, "feed-scan-wanted", ["wanted@scan-wanted.test"])).Outcome);

        // Each request looks at no more than 5000 journal rows: with nothing matching it comes back empty, its
        // next cursor past what it looked at, and the client pages on from there.
        var emptySteps = new List<long>();
        var after = start;
        await Eventually.TrueAsync("a copy for scan-wanted.test", async () =>
        {
            var (items, next) = await Host.PageAsync($"after={after}&domain=scan-wanted.test");
            Assert.InRange(next - after, 0, 5000);
            if (items.Count > 0)
            {
                Assert.Equal("feed-scan-wanted", Assert.Single(items).GetProperty("subject").GetString());
                return true;
            }

            if (next > after) emptySteps.Add(next - after);
            after = next;
            return false;
        }, Deadline, () => $"{emptySteps.Count} empty pages from {start} to {after}", TimeSpan.Zero);

        Assert.NotEmpty(emptySteps);
    }

    private static JsonElement[] Ours(IEnumerable<JsonElement> items, string prefix) =>
        items.Where(item => item.GetProperty("subject").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    // The feed's current end: read until a page comes back empty.
    private async Task<long> EndAsync()
    {
        long after = 0;
        while (true)
        {
            var (items, next) = await Host.PageAsync($"after={after}&limit=1000");
            if (items.Count == 0) return next;
            after = next;
        }
    }
}
