using Akka.Persistence.Query;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Feed;

/// <summary>
/// Which journal events a feed reader wants: stored messages only, optionally only mailboxes of some recipient
/// domains or one mailbox, optionally without quarantined copies. Other events in the journal (a webhook's position,
/// say) are never feed items.
/// </summary>
/// <param name="Domains">Normalized recipient domains; empty for every domain.</param>
/// <param name="Mailbox">One normalized mailbox, or null for every mailbox.</param>
/// <param name="Quarantined">Whether copies a milter quarantined are wanted (the feed: yes; a webhook: only when asked).</param>
public sealed record FeedFilter(IReadOnlySet<string> Domains, string? Mailbox, bool Quarantined = true)
{
    /// <summary>Every stored copy.</summary>
    public static readonly FeedFilter All = new(new HashSet<string>(), null);

    /// <summary>A filter from user input: domains and mailbox are matched case-insensitively, as addresses are.</summary>
    public static FeedFilter Of(IEnumerable<string> domains, string? mailbox, bool quarantined = true) => new(
        domains.Select(domain => domain.Trim().ToLowerInvariant()).Where(domain => domain.Length > 0).ToHashSet(StringComparer.Ordinal),
        mailbox,
        quarantined);

    /// <summary>The feed item this event is, or null when it is not a stored message this filter wants.</summary>
    public FeedItem? Select(EventEnvelope envelope)
    {
        if (envelope.Event is not MessageStoredV1 stored
            || !envelope.PersistenceId.StartsWith(MailboxActor.PersistenceIdPrefix, StringComparison.Ordinal)
            || envelope.Offset is not Sequence cursor)
        {
            return null;
        }

        var mailbox = envelope.PersistenceId[MailboxActor.PersistenceIdPrefix.Length..];
        if (Mailbox is not null && !string.Equals(Mailbox, mailbox, StringComparison.Ordinal)) return null;
        if (Domains.Count > 0 && !Domains.Contains(mailbox[(mailbox.LastIndexOf('@') + 1)..])) return null;
        if (!Quarantined && stored.Entry.Quarantined) return null;
        return FeedItem.Of(cursor.Value, mailbox, stored.Entry);
    }
}
