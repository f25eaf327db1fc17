using Akka.Actor;
using Akka.Event;
using MailIngest.Actors.Feed;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Retention;

/// <summary>
/// The cluster singleton that expires mail. Every <see cref="RetentionPolicy.SweepInterval"/> it reads the feed (the
/// journal's global order, oldest first) from where it stopped, collects the mailboxes that hold a copy past its age,
/// and asks each of them, a few at a time, to delete what it holds from before its cut-off. The deleting is done by
/// the mailboxes, on whichever nodes host them; a million messages expiring in the same minute are a stream of pages
/// and a bounded number of requests in flight, not a herd. Deleted rows leave the feed, so a sweeper that starts
/// again (on another node) from the beginning meets the oldest mail still kept.
/// </summary>
public sealed class RetentionSweeper : ReceiveActor, IWithTimers
{
    // Mailboxes asked at once; each request is a binary search over its journal and one event.
    private const int Parallel = 8;
    private const int PageSize = 1000;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private readonly RetentionPolicy _policy;
    private readonly IActorRef _mailboxes;
    private readonly MailFeed _feed;
    private readonly TimeProvider _clock;
    private readonly RetentionCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _cursor;
    private bool _sweeping;

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public RetentionSweeper(RetentionPolicy policy, IActorRef mailboxes, MailFeed feed, TimeProvider clock, RetentionCounters counters)
    {
        _counters = counters;
        _policy = policy;
        _mailboxes = mailboxes;
        _feed = feed;
        _clock = clock;
        Receive<Tick>(_ =>
        {
            if (_sweeping) return;
            _sweeping = true;
            SweepAsync(_cursor).PipeTo(Self, success: swept => swept, failure: cause => new Swept(_cursor, 0, cause));
        });
        Receive<Swept>(swept =>
        {
            _sweeping = false;
            _cursor = swept.Cursor;
            if (swept.Failure is not null) _log.Warning(swept.Failure, "Retention sweep failed; it tries again from the same place");
            if (swept.Removed > 0) _log.Info("Retention deleted {0} messages", swept.Removed);
            // A full page of due mail means more is waiting: go on at once instead of after the interval.
            if (swept.Full) Self.Tell(Tick.Instance);
        });
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the singleton.</summary>
    public static Props Props(RetentionPolicy policy, IActorRef mailboxes, MailFeed feed, TimeProvider clock, RetentionCounters counters) =>
        Akka.Actor.Props.Create(() => new RetentionSweeper(policy, mailboxes, feed, clock, counters));

    /// <inheritdoc />
    protected override void PreStart() => Timers.StartPeriodicTimer("sweep", Tick.Instance, _policy.SweepInterval);

    /// <summary>
    /// One page from <paramref name="cursor"/>. The cursor moves past copies that are due or kept forever, and stops at
    /// the first copy not yet due, which the next sweep reads again (later copies of shorter-lived domains on the same
    /// page are expired meanwhile). A failed request leaves the cursor where it was.
    /// </summary>
    private async Task<Swept> SweepAsync(long cursor)
    {
        var now = _clock.GetUtcNow();
        var page = await _feed.ReadAsync(cursor, PageSize, FeedFilter.All, TimeSpan.Zero, CancellationToken.None);
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var next = cursor;
        DateTimeOffset? waiting = null;
        foreach (var copy in page.Items)
        {
            var age = _policy.MaxAgeOf(copy.Mailbox);
            if (age is { } maxAge && copy.ReceivedAt + maxAge <= now) due[copy.Mailbox] = now - maxAge;
            else if (age is not null) waiting ??= copy.ReceivedAt;
            if (waiting is null) next = copy.Cursor;
        }

        _counters.Waiting(waiting);

        if (waiting is null) next = Math.Max(next, page.Next);
        long removed = 0;
        foreach (var batch in due.Chunk(Parallel))
        {
            var answers = await Task.WhenAll(batch.Select(pair =>
                _mailboxes.Ask<MessagesDeleted>(new ExpireMessages(pair.Key, pair.Value), AskTimeout)));
            removed += answers.Sum(answer => answer.Removed);
        }

        _counters.Add(removed);
        return new Swept(next, removed, null, Full: page.Items.Count == PageSize && waiting is null);
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed record Swept(long Cursor, long Removed, Exception? Failure, bool Full = false);
}
