using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MailIngest.Testing;

/// <summary>
/// A real HTTP receiver on a loopback port that webhooks POST to. It checks each request's signature the way the
/// docs/webhooks.md tells a receiver to, and answers what <see cref="Answer"/> says for the n-th request (1-based): a status
/// code after an optional delay, so a test can make it fail, hang and recover.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _secret;
    private readonly ConcurrentQueue<WebhookDelivery> _deliveries = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    private WebhookReceiver(int port, string secret)
    {
        _secret = secret;
        Url = new Uri($"http://127.0.0.1:{port}/hook");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>Where the webhook posts.</summary>
    public Uri Url { get; }

    /// <summary>The answer to the n-th request (1-based): status and delay. Default: 200 at once.</summary>
    public Func<int, (HttpStatusCode Status, TimeSpan Delay)> Answer { get; set; } = _ => (HttpStatusCode.OK, TimeSpan.Zero);

    /// <summary>Requests that arrived, answered or not yet.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every request answered so far, in arrival order, with the status it got.</summary>
    public IReadOnlyList<WebhookDelivery> Deliveries => _deliveries.OrderBy(delivery => delivery.Number).ToArray();

    /// <summary>The copies the receiver answered 2xx, first arrival of each, in arrival order.</summary>
    public IReadOnlyList<WebhookDelivery> Accepted => Deliveries
        .Where(delivery => (int)delivery.Status is >= 200 and < 300)
        .DistinctBy(delivery => delivery.Cursor)
        .ToArray();

    /// <summary>Listens on a free loopback port.</summary>
    public static WebhookReceiver Start(string secret) => new(FreePort.Next(), secret);

    /// <summary>The settings that point webhook <paramref name="index"/> of a host here.</summary>
    public Dictionary<string, string> Settings(int index = 0, string? name = null)
    {
        var key = $"MailIngest__Webhooks__{index}__";
        var settings = new Dictionary<string, string> { [key + "Url"] = Url.ToString(), [key + "Secret"] = _secret };
        if (name is not null) settings[key + "Name"] = name;
        return settings;
    }

    /// <summary>Waits until at least <paramref name="count"/> distinct copies were accepted; fails with what arrived.</summary>
    public Task WaitForAcceptedAsync(int count, TimeSpan timeout) =>
        Eventually.TrueAsync($"{count} copies accepted by the webhook receiver", () => Accepted.Count >= count, timeout,
            () => $"{Accepted.Count} accepted, {Deliveries.Count} requests");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context, Interlocked.Increment(ref _requests)));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, int number)
    {
        var arrived = DateTime.UtcNow;
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var bytes = body.ToArray();
        var (status, delay) = Answer(number);
        var delivery = WebhookDelivery.Parse(number, arrived, bytes, status, SignatureValid(context.Request, bytes));
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _stop.Token);
            context.Response.StatusCode = (int)status;
            context.Response.Close();
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // The sender gave up (timeout) or the receiver stops: this request got no answer.
            delivery = delivery with { Status = 0 };
        }

        _deliveries.Enqueue(delivery);
    }

    // What docs/webhooks.md shows a receiver doing: recompute v1 over "<timestamp>.<body>" and compare in fixed time.
    private bool SignatureValid(HttpListenerRequest request, byte[] body)
    {
        var timestamp = request.Headers["X-MailIngest-Timestamp"];
        var signature = request.Headers["X-MailIngest-Signature"];
        if (timestamp is null || signature is null || !long.TryParse(timestamp, out var seconds)) return false;
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300) return false;
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _listener.Close();
        _stop.Dispose();
    }
}

/// <summary>One POST a <see cref="WebhookReceiver"/> got.</summary>
/// <param name="Number">Its place in arrival order, from 1.</param>
/// <param name="ArrivedAt">When it arrived (UTC).</param>
/// <param name="Status">What it answered; 0 when the sender hung up first.</param>
public sealed record WebhookDelivery(int Number, DateTime ArrivedAt, long Cursor, string Mailbox, string Subject, string? Raw, HttpStatusCode Status, bool SignatureValid)
{
    /// <summary>Reads the JSON body.</summary>
    public static WebhookDelivery Parse(int number, DateTime arrivedAt, byte[] body, HttpStatusCode status, bool signatureValid)
    {
        using var json = JsonDocument.Parse(body);
        var copy = json.RootElement.GetProperty("copy");
        var raw = json.RootElement.GetProperty("raw");
        return new WebhookDelivery(
            number,
            arrivedAt,
            copy.GetProperty("cursor").GetInt64(),
            copy.GetProperty("mailbox").GetString()!,
            copy.GetProperty("subject").GetString()!,
            raw.ValueKind == JsonValueKind.Null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(raw.GetString()!)),
            status,
            signatureValid);
    }
}
