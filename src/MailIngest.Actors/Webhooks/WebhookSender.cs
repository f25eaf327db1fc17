using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MailIngest.Actors.Content;
using MailIngest.Actors.Feed;

namespace MailIngest.Actors.Webhooks;

/// <summary>POSTs one copy to a webhook, signed; says whether the receiver took it.</summary>
public sealed class WebhookSender(HttpClient http, IContentStore content, string userAgent)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Null when the receiver answered 2xx; else why not (status, timeout or connection error).</summary>
    public async Task<string?> SendAsync(WebhookOptions options, FeedItem item, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(
                new WebhookPayload(options.Name, item, await InlineAsync(options, item, timeout.Token)), Json);
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.UserAgent.ParseAdd(userAgent);
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(options.Secret, timestamp, body));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {options.Timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError == HttpRequestError.Unknown ? e.Message : $"{e.HttpRequestError}: {e.Message}";
        }
    }

    private async Task<string?> InlineAsync(WebhookOptions options, FeedItem item, CancellationToken cancellationToken)
    {
        if (item.Size + item.TraceHeaders.Length > options.MaxInlineBytes) return null;
        var stored = await content.GetAsync(item.ContentKey, cancellationToken);
        // A copy whose content is missing still goes out (by metadata); the raw link answers 500 for it.
        return stored is null ? null : Convert.ToBase64String(RawMessage.Compose(item.TraceHeaders, stored));
    }
}
