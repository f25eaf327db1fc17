using System.Text.Json;

namespace MailIngest.Testing;

/// <summary>Reads /api/feed of a host.</summary>
public static class FeedApi
{
    /// <summary>One page: its items and next cursor.</summary>
    public static async Task<(IReadOnlyList<JsonElement> Items, long Next)> PageAsync(this HostProcess host, string query)
    {
        var page = await host.GetJsonAsync("/api/feed?" + query);
        return (page.GetProperty("items").EnumerateArray().Select(item => item.Clone()).ToArray(), page.GetProperty("next").GetInt64());
    }

    /// <summary>
    /// Pages through the feed from <paramref name="after"/> (with the extra <paramref name="filter"/> query) until
    /// <paramref name="done"/> holds for everything read, or fails after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<IReadOnlyList<JsonElement>> ReadUntilAsync(this HostProcess host, Func<IReadOnlyList<JsonElement>, bool> done,
        TimeSpan timeout, long after = 0, string filter = "", int limit = 100)
    {
        var read = new List<JsonElement>();
        // Each page waits up to 1 s on the server (wait=1), so the next one follows at once.
        await Eventually.TrueAsync("the expected items in the feed", async () =>
        {
            if (done(read)) return true;
            var (items, next) = await host.PageAsync($"after={after}&limit={limit}&wait=1{filter}");
            read.AddRange(items);
            after = next;
            return done(read);
        }, timeout, () => $"{read.Count} items read", TimeSpan.Zero);
        return read;
    }
}
