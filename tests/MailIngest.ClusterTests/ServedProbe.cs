using System.Net;
using System.Text.Json;
using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>
/// Measures when a mailbox is served again: starts a listing request every 250 ms (each may wait for the shard to
/// come back) and reports the first moment a request completes with at least the expected number of messages.
/// </summary>
public static class ServedProbe
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>When <paramref name="mailbox"/> answered through <paramref name="reader"/> with ≥ <paramref name="minimum"/> messages, or null after <paramref name="timeout"/>.</summary>
    public static async Task<DateTime?> WaitServedAsync(HostProcess reader, string mailbox, int minimum, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var served = new CancellationTokenSource();
        var firstServed = (DateTime?)null;
        var probes = new List<Task>();
        var gate = new object();
        while (DateTime.UtcNow < deadline && !served.IsCancellationRequested)
        {
            probes.Add(ProbeAsync());
            try
            {
                await Task.Delay(Interval, served.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(probes);
        return firstServed;

        async Task ProbeAsync()
        {
            try
            {
                using var response = await reader.Admin.GetAsync($"/api/mailboxes/{Uri.EscapeDataString(mailbox)}/messages?limit=1");
                if (response.StatusCode != HttpStatusCode.OK) return;
                var total = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("total").GetInt32();
                if (total < minimum) return;
                var now = DateTime.UtcNow;
                lock (gate)
                {
                    if (firstServed is null || now < firstServed) firstServed = now;
                }

                await served.CancelAsync();
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException or ObjectDisposedException)
            {
                // Not served (yet).
            }
        }
    }
}
