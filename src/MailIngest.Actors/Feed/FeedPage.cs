namespace MailIngest.Actors.Feed;

/// <summary>One read of the feed.</summary>
/// <param name="Items">The copies, in cursor order.</param>
/// <param name="Next">
/// The cursor to read after next time: past the last item, or past journal rows the filter skipped, so a filtered
/// reader moves on even through a stretch with nothing for it.
/// </param>
public sealed record FeedPage(IReadOnlyList<FeedItem> Items, long Next);
