namespace MailIngest.Actors.Webhooks;

/// <summary>One configured webhook.</summary>
/// <param name="Name">Names the webhook's persisted position: renaming it starts it from the beginning of the feed.</param>
/// <param name="Url">Where each copy is POSTed.</param>
/// <param name="Secret">Key of the HMAC-SHA256 signature; never logged or shown.</param>
/// <param name="Domains">Recipient domains to send; empty for every domain.</param>
/// <param name="MaxAttempts">Failed attempts at one copy before the webhook pauses.</param>
/// <param name="FirstRetry">Wait after the first failure; it doubles with each further failure.</param>
/// <param name="MaxRetry">Longest wait between two attempts.</param>
/// <param name="PauseFor">How long a paused webhook waits before it tries again by itself.</param>
/// <param name="Timeout">Longest wait for the receiver's answer to one POST.</param>
/// <param name="MaxInlineBytes">Raw messages up to this size travel base64 in the body; larger ones by link only.</param>
/// <param name="IncludeQuarantined">Also send copies a milter quarantined.</param>
public sealed record WebhookOptions(
    string Name,
    Uri Url,
    string Secret,
    IReadOnlyList<string> Domains,
    int MaxAttempts,
    TimeSpan FirstRetry,
    TimeSpan MaxRetry,
    TimeSpan PauseFor,
    TimeSpan Timeout,
    long MaxInlineBytes,
    bool IncludeQuarantined = false)
{
    /// <summary>The wait before the attempt that follows <paramref name="failures"/> failures in a row (1 or more).</summary>
    public TimeSpan RetryAfter(int failures)
    {
        var doubled = FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, MaxRetry.TotalMilliseconds));
    }

    /// <summary>The URL as shown in /status and logs: no user info or query, which may carry credentials.</summary>
    public string DisplayUrl => $"{Url.Scheme}://{Url.Authority}{Url.AbsolutePath}";
}
