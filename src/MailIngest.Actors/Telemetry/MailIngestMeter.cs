using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MailIngest.Actors.Telemetry;

/// <summary>
/// The instruments measured where the work happens (System.Diagnostics.Metrics; the host exports them at /metrics).
/// Static, as the meter is one per process. The exporter prefixes every name with the meter's ("mailingest_").
/// </summary>
public static class MailIngestMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "MailIngest";

    /// <summary>The meter every instrument belongs to.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>Connections accepted by a listener, tagged with the admission (accept, draining, node_full, client_full).</summary>
    public static readonly Counter<long> Connections =
        Meter.CreateCounter<long>("smtp_connections", description: "Connections accepted by the SMTP listeners, by admission");

    /// <summary>SMTP replies sent, tagged with the reply code: 250 after end of data, 451, 5xx refusals.</summary>
    public static readonly Counter<long> Replies =
        Meter.CreateCounter<long>("smtp_replies", description: "SMTP replies sent, by reply code");

    /// <summary>End of data (or BDAT LAST) until the final reply was decided: content and every copy stored.</summary>
    public static readonly Histogram<double> DeliverySeconds =
        Meter.CreateHistogram<double>("delivery_duration_seconds", "s", "End of data to the final reply (250 or 451)");

    /// <summary>One content-store batch commit.</summary>
    public static readonly Histogram<double> ContentWriteSeconds =
        Meter.CreateHistogram<double>("content_write_duration_seconds", "s", "Content store batch commit");

    /// <summary>Messages per content-store batch.</summary>
    public static readonly Histogram<long> ContentBatchSize =
        Meter.CreateHistogram<long>("content_batch_size", description: "Messages written per content store batch");

    /// <summary>One journal batch commit (every mailbox's rows queued while the previous batch committed).</summary>
    public static readonly Histogram<double> JournalCommitSeconds =
        Meter.CreateHistogram<double>("journal_commit_duration_seconds", "s", "Journal batch commit");

    /// <summary>Journal writes (a mailbox's events of one persist call) per batch.</summary>
    public static readonly Histogram<long> JournalBatchSize =
        Meter.CreateHistogram<long>("journal_batch_size", description: "Journal writes per batch commit");

    /// <summary>A mailbox copy from its command to its persisted event (journal write, batching included).</summary>
    public static readonly Histogram<double> JournalWriteSeconds =
        Meter.CreateHistogram<double>("journal_write_duration_seconds", "s", "Mailbox command to persisted journal event");

    /// <summary>Messages deleted by retention (on the node running the retention singleton).</summary>
    public static readonly Counter<long> MessagesExpired =
        Meter.CreateCounter<long>("messages_expired", description: "Messages deleted by retention (Retention:MaxAge)");

    /// <summary>Recipients refused at RCPT TO because their mailbox was full (MailIngest:Quota).</summary>
    public static readonly Counter<long> RecipientsOverQuota =
        Meter.CreateCounter<long>("recipients_over_quota", description: "RCPT TO answered 452 4.2.2: the mailbox is over its quota");

    /// <summary>Webhook POSTs, tagged with the webhook's name and the outcome (delivered, failed).</summary>
    public static readonly Counter<long> WebhookAttempts =
        Meter.CreateCounter<long>("webhook_attempts", description: "Webhook POSTs, by webhook and outcome");

    /// <summary>Webhooks paused after too many failures in a row (on the node running the webhook singleton).</summary>
    public static readonly UpDownCounter<long> WebhooksPaused =
        Meter.CreateUpDownCounter<long>("webhooks_paused", description: "Webhooks paused after MaxAttempts failures in a row");

    /// <summary>Milter sessions (one per SMTP transaction, begun at its first recipient), tagged with the milter's name.</summary>
    public static readonly Counter<long> MilterCalls =
        Meter.CreateCounter<long>("milter_calls", description: "Milter sessions, one per transaction, by milter");

    /// <summary>
    /// Connections opened to a milter, tagged with its name: fewer than its calls when sessions reuse pooled connections.
    /// </summary>
    public static readonly Counter<long> MilterConnections =
        Meter.CreateCounter<long>("milter_connections", description: "Connections opened to a milter, by milter");

    /// <summary>What milters decided at end of data, tagged with the milter's name and the action (accept, quarantine, discard, tempfail, reject).</summary>
    public static readonly Counter<long> MilterActions =
        Meter.CreateCounter<long>("milter_actions", description: "Milter decisions, by milter and action (failures included, as their policy decided)");

    /// <summary>Milters that failed, tagged with the milter's name and the kind (connect, timeout, closed, protocol).</summary>
    public static readonly Counter<long> MilterFailures =
        Meter.CreateCounter<long>("milter_failures", description: "Milter conversations that failed, by milter and kind");

    /// <summary>One milter session, first recipient to the decision at end of data.</summary>
    public static readonly Histogram<double> MilterSeconds =
        Meter.CreateHistogram<double>("milter_duration_seconds", "s", "One milter conversation, by milter");

    /// <summary>Authentication verdicts, tagged with the method (spf, dkim, dmarc, arc) and RFC 8601's result word.</summary>
    public static readonly Counter<long> AuthenticationResults =
        Meter.CreateCounter<long>("authentication_results", description: "SPF, DKIM (per signature), DMARC and ARC results, by method and result");

    /// <summary>Messages refused by Authentication:Mode Enforce (DMARC fail with an applied policy of reject).</summary>
    public static readonly Counter<long> AuthenticationRejected =
        Meter.CreateCounter<long>("authentication_rejected", description: "Messages answered 550 5.7.1 because DMARC said reject (Mode Enforce)");

    /// <summary>DNS queries sent by the authentication resolver (its cache's misses), by record type.</summary>
    public static readonly Counter<long> DnsQueries =
        Meter.CreateCounter<long>("dns_queries", description: "DNS queries sent (cache misses), by record type");

    private static readonly KeyValuePair<string, object?>[] CodeTags =
        Enumerable.Range(0, 600).Select(code => new KeyValuePair<string, object?>("code", code.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    /// <summary>The "code" tag for a reply code, made once per code (no allocation per reply).</summary>
    public static KeyValuePair<string, object?> CodeTag(int code) => CodeTags[code];

    /// <summary>Seconds since <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static double SecondsSince(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;
}
