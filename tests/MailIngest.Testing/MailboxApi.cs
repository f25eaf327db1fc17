using System.Net;
using System.Text.Json;

namespace MailIngest.Testing;

/// <summary>Reads mailboxes through the admin API of a host.</summary>
public static class MailboxApi
{
    // The admin API's largest page.
    private const int PageSize = 500;

    /// <summary>The listing's items (newest first), or empty when the mailbox is unknown (404).</summary>
    public static async Task<IReadOnlyList<JsonElement>> ListAsync(this HostProcess host, string address) =>
        (await PageAsync(host, address, 0, PageSize))?.Items ?? [];

    /// <summary>
    /// Every item of the mailbox, all pages; empty when unknown. Retries while the mailbox is not served
    /// (503 while its shard moves, or a node that does not answer) until <paramref name="timeout"/>.
    /// </summary>
    public static Task<IReadOnlyList<JsonElement>> ListAllAsync(this HostProcess host, string address, TimeSpan timeout) =>
        Eventually.ValueAsync($"{address} listed through {host.ClusterAddress}", async () =>
        {
            var items = new List<JsonElement>();
            while (await PageAsync(host, address, items.Count, PageSize) is { } page)
            {
                items.AddRange(page.Items);
                if (items.Count >= page.Total) break;
            }

            return (IReadOnlyList<JsonElement>)items;
        }, _ => true, timeout, interval: TimeSpan.FromMilliseconds(250));

    /// <summary>One page of the listing with the mailbox's total, or null when the mailbox is unknown (404).</summary>
    private static async Task<(IReadOnlyList<JsonElement> Items, int Total)?> PageAsync(HostProcess host, string address, int offset, int limit)
    {
        using var response = await host.Admin.GetAsync(
            $"/api/mailboxes/{Uri.EscapeDataString(address)}/messages?offset={offset}&limit={limit}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var items = json.RootElement.GetProperty("items").EnumerateArray().Select(item => item.Clone()).ToArray();
        return (items, json.RootElement.GetProperty("total").GetInt32());
    }

    /// <summary>The listing item whose subject is <paramref name="subject"/>, failing when it is not there exactly once.</summary>
    public static async Task<JsonElement> SingleBySubjectAsync(this HostProcess host, string address, string subject)
    {
        var items = await host.ListAsync(address);
        return Assert.Single(items, item => item.GetProperty("subject").GetString() == subject);
    }

    /// <summary>The raw RFC 822 form of a stored message.</summary>
    public static async Task<string> RawAsync(this HostProcess host, string address, string id)
    {
        using var response = await host.Admin.GetAsync($"/api/mailboxes/{Uri.EscapeDataString(address)}/messages/{id}/raw");
        response.EnsureSuccessStatusCode();
        Assert.Equal("message/rfc822", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
