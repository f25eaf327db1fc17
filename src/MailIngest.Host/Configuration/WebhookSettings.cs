namespace MailIngest.Host.Configuration;

/// <summary>One entry of the MailIngest:Webhooks list.</summary>
public sealed class WebhookSettings
{
    /// <summary>Names the webhook's persisted position; defaults to the URL. Renaming it starts from the feed's beginning.</summary>
    public string Name { get; set; } = "";

    /// <summary>http(s) URL each copy is POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key for X-MailIngest-Signature; at least 16 characters. Never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Recipient domains to send; empty sends every copy.</summary>
    public string[] Domains { get; set; } = [];

    /// <summary>Failed attempts at one copy before the webhook pauses.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait after the first failure; doubles after each further failure up to <see cref="MaxRetrySeconds"/>.</summary>
    public double FirstRetrySeconds { get; set; } = 1;

    /// <summary>Longest wait between two attempts.</summary>
    public double MaxRetrySeconds { get; set; } = 300;

    /// <summary>How long a paused webhook waits before it tries again by itself (POST /api/webhooks/{name}/resume: at once).</summary>
    public double PauseSeconds { get; set; } = 900;

    /// <summary>Longest wait for the receiver's answer.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Raw messages up to this size travel base64 in the body; larger ones only by their rawPath link.</summary>
    public long MaxInlineBytes { get; set; } = 256 * 1024;

    /// <summary>Also send copies a milter quarantined (by default a webhook skips them; the feed and mailbox API show them).</summary>
    public bool IncludeQuarantined { get; set; }
}
