using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MailIngest.Actors.Feed;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Webhooks;

/// <summary>
/// Sends one webhook every wanted copy of the feed, one at a time in feed order, and persists how far its receiver
/// has acknowledged. A copy is retried with growing waits until the receiver takes it, so nothing is skipped; after
/// a crash the webhook resumes after its last persisted position, so a copy may arrive twice (at least once).
/// </summary>
public sealed class WebhookActor : ReceivePersistentActor, IWithTimers
{
    private const int BatchSize = 100;
    private const int SnapshotEvery = 1000;
    // The position is written after this many acknowledged copies, after PersistInterval, and whenever the webhook
    // has caught up or fails: one journal write per copy cost a third of a SQLite node's ingest rate (bench/run.sh
    // downstream). A crash re-sends at most these copies.
    private const int PersistEvery = 100;
    private static readonly TimeSpan PersistInterval = TimeSpan.FromSeconds(1);
    // A stretch of feed rows not for this webhook is persisted as passed once it is this long, so a restart does not
    // read it again. Not every stretch: the write is itself a row to pass, and would keep an idle webhook writing.
    private const int PassedRowsToPersist = 1000;
    private static readonly TimeSpan LongPoll = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan FeedRetry = TimeSpan.FromSeconds(2);
    private static readonly KeyValuePair<string, object?> Delivered = new("outcome", "delivered");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");

    private readonly WebhookOptions _options;
    private readonly WebhookSender _sender;
    private readonly MailFeed _feed;
    private readonly FeedFilter _filter;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<FeedItem> _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly KeyValuePair<string, object?> _webhookTag;
    private long _position;
    private long _persisted;
    private long _persistedAt;
    private int _unpersisted;
    // How far the feed was read: rows after the position are delivered next, or not for this webhook.
    private long _scannedTo;
    private long _delivered;
    private int _failures;
    private bool _paused;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastDeliveredAt;
    private DateTimeOffset? _nextAttemptAt;

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public WebhookActor(WebhookOptions options, WebhookSender sender)
    {
        _options = options;
        _sender = sender;
        _feed = new MailFeed(Context.System);
        _filter = FeedFilter.Of(options.Domains, null, options.IncludeQuarantined);
        _webhookTag = new KeyValuePair<string, object?>("webhook", options.Name);
        PersistenceId = "webhook-" + options.Name;

        Recover<WebhookPositionV1>(position => _position = position.Cursor);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is WebhookPositionV1 position) _position = position.Cursor;
        });
        Recover<RecoveryCompleted>(_ =>
        {
            (_scannedTo, _persisted, _persistedAt) = (_position, _position, Stopwatch.GetTimestamp());
            _log.Info("Webhook {0} starts after feed cursor {1}", _options.Name, _position);
            Fetch();
        });

        Command<FeedPage>(Take);
        Command<FeedFailed>(failed =>
        {
            _log.Warning(failed.Cause, "Webhook {0} could not read the feed; trying again in {1}", _options.Name, FeedRetry);
            Timers.StartSingleTimer(nameof(Fetch), FetchAgain.Instance, FeedRetry);
        });
        Command<FetchAgain>(_ => Fetch());
        Command<Attempted>(Record);
        Command<RetryNow>(_ => SendNext());
        Command<ResumeAfterPause>(_ =>
        {
            _log.Info("Webhook {0} resumes after its pause", _options.Name);
            Resume();
        });
        Command<ResumeWebhook>(_ =>
        {
            if (_paused)
            {
                _log.Info("Webhook {0} resumed by an admin call", _options.Name);
                Resume();
            }

            Sender.Tell(new ResumeWebhookResult(State()));
        });
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning(failure.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure => _log.Warning(failure.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    /// <summary>Props for the webhook <paramref name="options"/>.</summary>
    public static Props Props(WebhookOptions options, WebhookSender sender) =>
        Akka.Actor.Props.Create(() => new WebhookActor(options, sender));

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <inheritdoc />
    protected override void PostStop()
    {
        // The singleton moving away takes its paused webhooks with it.
        SetPaused(false);
        _stopping.Cancel();
        _stopping.Dispose();
        base.PostStop();
    }

    private void Fetch()
    {
        Report();
        _feed.ReadAsync(_scannedTo, BatchSize, _filter, LongPoll, _stopping.Token)
            .PipeTo(Self, success: page => page, failure: cause => new FeedFailed(cause));
    }

    private void Take(FeedPage page)
    {
        _scannedTo = page.Next;
        foreach (var item in page.Items) _pending.Enqueue(item);
        if (_pending.Count == 0 && _scannedTo - _position >= PassedRowsToPersist)
        {
            _position = _scannedTo;
            PersistPosition();
        }

        SendNext();
    }

    private void SendNext()
    {
        _nextAttemptAt = null;
        if (!_pending.TryPeek(out var item))
        {
            Fetch();
            return;
        }

        Report();
        _sender.SendAsync(_options, item, _stopping.Token)
            .PipeTo(Self, success: error => new Attempted(item.Cursor, error), failure: cause => new Attempted(item.Cursor, cause.Message));
    }

    private void Record(Attempted attempt)
    {
        MailIngestMeter.WebhookAttempts.Add(1, _webhookTag, attempt.Error is null ? Delivered : Failed);
        if (attempt.Error is null)
        {
            _pending.Dequeue();
            _position = attempt.Cursor;
            _delivered++;
            _unpersisted++;
            _failures = 0;
            _lastDeliveredAt = DateTimeOffset.UtcNow;
            if (_pending.Count == 0 || _unpersisted >= PersistEvery
                || Stopwatch.GetElapsedTime(_persistedAt) >= PersistInterval)
            {
                PersistPosition();
            }

            SendNext();
            return;
        }

        PersistPosition();
        _failures++;
        _lastError = attempt.Error;
        _lastErrorAt = DateTimeOffset.UtcNow;
        if (_failures >= _options.MaxAttempts)
        {
            SetPaused(true);
            _nextAttemptAt = _lastErrorAt + _options.PauseFor;
            _log.Warning("Webhook {0} paused after {1} failed attempts at feed cursor {2} ({3}); it tries again at {4:u}",
                _options.Name, _failures, attempt.Cursor, attempt.Error, _nextAttemptAt);
            Timers.StartSingleTimer(nameof(RetryNow), ResumeAfterPause.Instance, _options.PauseFor);
        }
        else
        {
            var wait = _options.RetryAfter(_failures);
            _nextAttemptAt = _lastErrorAt + wait;
            _log.Info("Webhook {0} attempt {1} at feed cursor {2} failed ({3}); retrying in {4}",
                _options.Name, _failures, attempt.Cursor, attempt.Error, wait);
            Timers.StartSingleTimer(nameof(RetryNow), RetryNow.Instance, wait);
        }

        Report();
    }

    private void PersistPosition()
    {
        if (_position == _persisted) return;
        (_persisted, _unpersisted) = (_position, 0);
        _persistedAt = Stopwatch.GetTimestamp();
        // Not waited for: a crash before this write lands only means these copies are sent again.
        PersistAsync(new WebhookPositionV1(_position), _ =>
        {
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(new WebhookPositionV1(_persisted));
        });
    }

    private void Resume()
    {
        Timers.Cancel(nameof(RetryNow));
        SetPaused(false);
        _failures = 0;
        SendNext();
    }

    private void SetPaused(bool paused)
    {
        if (paused != _paused) MailIngestMeter.WebhooksPaused.Add(paused ? 1 : -1, _webhookTag);
        _paused = paused;
    }

    private void Report() => Context.Parent.Tell(State());

    private WebhookState State() => new(
        _options.Name,
        _options.DisplayUrl,
        _paused ? "paused" : _failures > 0 ? "retrying" : "active",
        _position,
        _delivered,
        _failures,
        _lastError,
        _lastErrorAt,
        _lastDeliveredAt,
        _nextAttemptAt);

    private sealed record FeedFailed(Exception Cause);

    private sealed record FetchAgain
    {
        public static readonly FetchAgain Instance = new();
    }

    private sealed record Attempted(long Cursor, string? Error);

    private sealed record RetryNow
    {
        public static readonly RetryNow Instance = new();
    }

    private sealed record ResumeAfterPause
    {
        public static readonly ResumeAfterPause Instance = new();
    }
}
