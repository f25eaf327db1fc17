using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Feed;

/// <summary>
/// The cluster-wide feed of stored copies: the journal's own global order (its "ordering" column) read through
/// Akka.Persistence.Query, so there is no second store to keep in step. The read journal never returns a row
/// past a gap in that order that a writer may still fill (see PersistenceSetup), so a reader that resumes from
/// its last cursor sees every copy.
/// </summary>
public sealed class MailFeed(ActorSystem system)
{
    /// <summary>Most items in one page.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Longest long poll.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    // Journal rows one read looks at, matching or not: a filtered read of a long stretch of other mail ends here
    // with an advanced cursor instead of reading the whole journal in one request.
    private const int ScanLimit = 5000;

    // A read returns what it has after this long even if the journal waits on a gap (a write in flight).
    private static readonly TimeSpan ScanBudget = TimeSpan.FromSeconds(2);

    // How often a long poll looks again: about the read journal's own refresh interval.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly MailboxJournal _journal = MailboxJournal.Get(system);

    /// <summary>
    /// Up to <paramref name="limit"/> copies after <paramref name="after"/>. When there are none yet, looks again
    /// until <paramref name="wait"/> has passed (a long poll), then returns an empty page.
    /// </summary>
    public async Task<FeedPage> ReadAsync(long after, int limit, FeedFilter filter, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var (page, scanned) = await ScanAsync(after, limit, filter, cancellationToken);
            var left = deadline - DateTime.UtcNow;
            if (page.Items.Count > 0 || left <= TimeSpan.Zero) return page;
            after = page.Next;
            // A full scan of other mailboxes' copies means more rows are there now: look on at once.
            if (scanned < ScanLimit) await Task.Delay(left < PollInterval ? left : PollInterval, cancellationToken);
        }
    }

    private async Task<(FeedPage Page, int Scanned)> ScanAsync(long after, int limit, FeedFilter filter, CancellationToken cancellationToken)
    {
        var matched = 0;
        var rows = await _journal.ReadAsync(journal => journal.CurrentAllEvents(Offset.Sequence(after))
            .Take(ScanLimit)
            .TakeWithin(ScanBudget)
            .Select(envelope => (Cursor: ((Sequence)envelope.Offset).Value, Item: filter.Select(envelope)))
            .TakeWhile(row => row.Item is null || ++matched < limit, inclusive: true))
            .WaitAsync(cancellationToken);
        var items = rows.Select(row => row.Item).OfType<FeedItem>().ToArray();
        return (new FeedPage(items, rows.Count > 0 ? rows[^1].Cursor : after), rows.Count);
    }
}
