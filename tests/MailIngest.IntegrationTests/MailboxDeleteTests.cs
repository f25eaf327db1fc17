using System.Net;
using MailIngest.Testing;
using Microsoft.Data.Sqlite;

namespace MailIngest.IntegrationTests;

/// <summary>
/// DELETE /api/mailboxes/{address} empties a mailbox, DELETE /api/mailboxes/{address}/messages/{id} deletes one message:
/// what is deleted is gone from every read route at once, other mail stays and pages without gaps, the feed skips the
/// deleted copies, a deletion survives a restart, and the journal rows and the bodies no copy refers to any more are
/// physically removed from the SQLite files.
/// </summary>
public sealed class MailboxDeleteTests
{
    private const string Emptied = "emptied@example.com";
    private const string Kept = "kept@example.com";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Deleting_a_mailbox_removes_its_messages_for_good_and_leaves_later_and_other_mail()
    {
        using var data = new TempDirectory();
        await using (var host = await HostProcess.StartReadyAsync(data.Path))
        {
            foreach (var subject in new[] { "one", "two", "three" }) await SendAsync(host, Emptied, subject);
            await SendAsync(host, Kept, "kept");
            await SendAsync(host, $"{Emptied},{Kept}", "shared");
            Assert.Equal(5, await ContentRowsAsync(data.Path));
            var old = await host.SingleBySubjectAsync(Emptied, "two");
            var oldId = old.GetProperty("id").GetString()!;

            using (var deleted = await host.Admin.DeleteAsync($"/api/mailboxes/{Emptied}"))
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, $"/api/mailboxes/{Emptied}/messages"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, $"/api/mailboxes/{Emptied}/messages/{oldId}"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, $"/api/mailboxes/{Emptied}/messages/{oldId}/raw"));
            await host.SingleBySubjectAsync(Kept, "kept");
            using (var again = await host.Admin.DeleteAsync($"/api/mailboxes/{Emptied}"))
                Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            using (var unknown = await host.Admin.DeleteAsync("/api/mailboxes/never-seen@example.com"))
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using (var malformed = await host.Admin.DeleteAsync("/api/mailboxes/not-an-address"))
                Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

            await SendAsync(host, Emptied, "after");
            Assert.Equal(["after"], await SubjectsAsync(host, Emptied));
            // The three bodies only the emptied mailbox referred to are gone; "shared" stays for its other copy.
            await Eventually.ValueAsync("the emptied messages' bodies gone from the content file", () => ContentRowsAsync(data.Path),
                rows => rows == 3, Patience, rows => $"{rows} bodies; expected kept, shared and after");
            // Left: the emptying's own event (5, which keeps the sequence numbers from being given out again) and "after".
            await Eventually.ValueAsync("the emptied rows gone from the journal file", () => RowShapesAsync(data.Path, Emptied),
                rows => rows == "5:1/6:1", Patience, rows => $"rows {rows}; expected the emptying's event and 'after'");

            // The feed skips deleted copies: read from the start, it holds the other mailbox's copy and the later one,
            // in their order, once each.
            var feed = await host.ReadUntilAsync(items => items.Any(item => item.GetProperty("subject").GetString() == "after"), Patience);
            Assert.Equal(["kept", "shared", "after"], feed.Select(item => item.GetProperty("subject").GetString() ?? ""));
            Assert.Equal(0, await host.TerminateAsync(Patience));
        }

        // The emptying was recorded, not only held in memory: after a restart the old messages stay gone (and are not
        // counted: their rows are gone, the emptying's event says they were there).
        await using var restarted = await HostProcess.StartReadyAsync(data.Path);
        Assert.Equal(["after"], await SubjectsAsync(restarted, Emptied));
        Assert.Equal((1, "after"), await PageAsync(restarted, Emptied, 0, 10));
        Assert.Equal(["shared", "kept"], await SubjectsAsync(restarted, Kept));

        // The last copy of "shared" goes with the second mailbox: now only "after" has a body.
        using (var deleted = await restarted.Admin.DeleteAsync($"/api/mailboxes/{Kept}"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Eventually.ValueAsync("the last bodies gone from the content file", () => ContentRowsAsync(data.Path),
            rows => rows == 1, Patience, rows => $"{rows} bodies; expected only 'after'");
    }

    [Fact]
    public async Task Deleting_one_message_removes_it_for_good_and_the_listing_pages_over_the_gap()
    {
        const string Box = "one-by-one@example.com";
        using var data = new TempDirectory();
        await using (var host = await HostProcess.StartReadyAsync(data.Path))
        {
            foreach (var subject in new[] { "a", "b", "c", "d" }) await SendAsync(host, Box, subject);
            await SendAsync(host, $"{Box},{Kept}", "shared");
            var (b, shared) = (await IdAsync(host, Box, "b"), await IdAsync(host, Box, "shared"));
            Assert.Equal(5, await ContentRowsAsync(data.Path));
            // A feed consumer has read two copies when the deletions happen: one of them is deleted, one not yet read is.
            var firstPage = await host.ReadUntilAsync(items => items.Count >= 2, Patience, limit: 2);
            Assert.Equal(["a", "b"], firstPage.Select(item => item.GetProperty("subject").GetString()));
            var cursor = firstPage[^1].GetProperty("cursor").GetInt64();

            using (var deleted = await host.Admin.DeleteAsync($"/api/mailboxes/{Box}/messages/{b}"))
                Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, $"/api/mailboxes/{Box}/messages/{b}"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host, $"/api/mailboxes/{Box}/messages/{b}/raw"));
            Assert.Equal(["shared", "d", "c", "a"], await SubjectsAsync(host, Box));
            Assert.Equal((4, "d,c"), await PageAsync(host, Box, 1, 2));
            Assert.Equal((4, "a"), await PageAsync(host, Box, 3, 2));
            using (var again = await host.Admin.DeleteAsync($"/api/mailboxes/{Box}/messages/{b}"))
                Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
            using (var unknown = await host.Admin.DeleteAsync($"/api/mailboxes/{Box}/messages/0000000000000000DEADBEEF"))
                Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using (var malformed = await host.Admin.DeleteAsync($"/api/mailboxes/not-an-address/messages/{b}"))
                Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

            // The newest message too; its body stays for the other mailbox's copy.
            using (var newest = await host.Admin.DeleteAsync($"/api/mailboxes/{Box}/messages/{shared}"))
                Assert.Equal(HttpStatusCode.NoContent, newest.StatusCode);
            Assert.Equal(["d", "c", "a"], await SubjectsAsync(host, Box));
            await host.SingleBySubjectAsync(Kept, "shared");

            await Eventually.ValueAsync("b's body gone from the content file", () => ContentRowsAsync(data.Path),
                rows => rows == 4, Patience, rows => $"{rows} bodies; expected a, c, d and shared");
            // The rows of b (2) and shared (5) are gone; the two deletions are events (6, 7).
            await Eventually.ValueAsync("the deleted messages' rows gone", () => RowShapesAsync(data.Path, Box),
                rows => rows == "1:1/3:1/4:1/6:1/7:1", Patience, rows => $"rows {rows}");

            // The consumer goes on from its cursor: everything after it once, nothing it read again, the deleted copy of
            // "shared" skipped (the other mailbox's copy stays). Read from the start, the feed skips both deleted copies.
            var rest = await host.ReadUntilAsync(items => items.Any(item => item.GetProperty("subject").GetString() == "shared"), Patience, after: cursor);
            Assert.Equal([("c", Box), ("d", Box), ("shared", Kept)],
                rest.Select(item => (item.GetProperty("subject").GetString() ?? "", item.GetProperty("mailbox").GetString() ?? "")));
            var feed = await host.ReadUntilAsync(items => items.Any(item => item.GetProperty("subject").GetString() == "shared"), Patience);
            Assert.Equal(["a", "c", "d", "shared"], feed.Select(item => item.GetProperty("subject").GetString() ?? ""));
            Assert.Equal(0, await host.TerminateAsync(Patience));
        }

        // The deletions were recorded: after a restart the listing still steps over them, and more mail comes after.
        await using var restarted = await HostProcess.StartReadyAsync(data.Path);
        Assert.Equal((3, "d,c,a"), await PageAsync(restarted, Box, 0, 10));
        await SendAsync(restarted, Box, "e");
        Assert.Equal((4, "e,d"), await PageAsync(restarted, Box, 0, 2));
    }

    private static async Task<string> IdAsync(HostProcess host, string address, string subject) =>
        (await host.SingleBySubjectAsync(address, subject)).GetProperty("id").GetString()!;

    /// <summary>A page's total and its subjects, joined by ','.</summary>
    private static async Task<(int Total, string Subjects)> PageAsync(HostProcess host, string address, int offset, int limit)
    {
        var page = await host.GetJsonAsync($"/api/mailboxes/{address}/messages?offset={offset}&limit={limit}");
        return (page.GetProperty("total").GetInt32(),
            string.Join(',', page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("subject").GetString())));
    }

    /// <summary>The mailbox's journal rows as "sequence:payload bytes > 0", a deleted row as "sequence:deleted,empty|full", joined by '/'.</summary>
    private static async Task<string> RowShapesAsync(string dataDirectory, string mailbox)
    {
        await using var journal = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "mailingest.db")};Pooling=False");
        await journal.OpenAsync();
        await using var command = journal.CreateCommand();
        command.CommandText = "SELECT sequence_number, deleted, length(message) FROM journal WHERE persistence_id = $id ORDER BY sequence_number";
        command.Parameters.AddWithValue("$id", "mailbox-" + mailbox);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (nr, deleted, length) = (reader.GetInt64(0), reader.GetBoolean(1), reader.GetInt64(2));
            rows.Add(deleted ? $"{nr}:deleted,{(length == 0 ? "empty" : "full")}" : $"{nr}:{(length > 0 ? 1 : 0)}");
        }

        return string.Join('/', rows);
    }

    private static Task SendAsync(HostProcess host, string to, string subject) =>
        Swaks.SendAcceptedAsync(host.SmtpPort, to, subject, body: "delete test");

    private static async Task<string[]> SubjectsAsync(HostProcess host, string address) =>
        (await host.ListAsync(address)).Select(item => item.GetProperty("subject").GetString() ?? "").ToArray();

    private static async Task<HttpStatusCode> StatusAsync(HostProcess host, string path)
    {
        using var response = await host.Admin.GetAsync(path);
        return response.StatusCode;
    }

    /// <summary>Bodies in the content file.</summary>
    private static async Task<long> ContentRowsAsync(string dataDirectory)
    {
        await using var content = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "content.db")};Pooling=False");
        await content.OpenAsync();
        await using var command = content.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM mail_content";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
