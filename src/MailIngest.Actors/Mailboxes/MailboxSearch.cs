using System.Globalization;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Finds a message older than a mailbox's in-memory window by its queue id, in bounded time whatever the
/// mailbox's size. Queue ids start with their acceptance time in milliseconds, and sequence numbers grow with
/// arrival at the mailbox, which follows acceptance within the delivery time: a binary search over sequence
/// numbers (one event read per step) lands next to the message, and a scan outwards from there finds it.
/// </summary>
public static class MailboxSearch
{
    private const int ScanPage = 256;

    // Acceptance and arrival at the mailbox are at most a delivery deadline apart; past this distance in time on
    // both sides the message is not there.
    private static readonly long SlackMilliseconds = (long)TimeSpan.FromMinutes(5).TotalMilliseconds;

    /// <summary>
    /// The message with <paramref name="id"/> among sequence numbers <paramref name="first"/>..<paramref name="last"/>,
    /// and its sequence number, or null.
    /// </summary>
    public static async Task<(long SequenceNr, StoredMessageV1 Message)?> FindAsync(MailboxJournal journal, string persistenceId, string id, long first, long last)
    {
        if (last < first || !TryTimestamp(id, out var target)) return null;
        var low = await FirstAcceptedAtOrAfterAsync(journal, persistenceId, target, first, last);

        // Scan pages outwards from there, alternately later and earlier, until both sides are past the slack.
        var (forward, backward) = (low, low - 1);
        var (forwardDone, backwardDone) = (false, false);
        while (!forwardDone || !backwardDone)
        {
            if (!forwardDone)
            {
                var page = await journal.ReadAsync(persistenceId, forward, Math.Min(last, forward + ScanPage - 1));
                if (Find(page, id) is { } found) return found;
                forward += ScanPage;
                forwardDone = forward > last || page.Count == 0 || Beyond(page[^1].Message.Id, target);
            }

            if (!backwardDone)
            {
                var page = await journal.ReadAsync(persistenceId, Math.Max(first, backward - ScanPage + 1), backward);
                if (Find(page, id) is { } found) return found;
                backward -= ScanPage;
                backwardDone = backward < first || page.Count == 0 || Beyond(page[0].Message.Id, target);
            }
        }

        return null;
    }

    /// <summary>
    /// The first sequence number among <paramref name="first"/>..<paramref name="last"/> whose message was accepted at
    /// or after <paramref name="acceptedAt"/> (Unix milliseconds), or <paramref name="last"/> + 1 when none was: a binary
    /// search, one event read per step.
    /// </summary>
    public static async Task<long> FirstAcceptedAtOrAfterAsync(MailboxJournal journal, string persistenceId, long acceptedAt, long first, long last)
    {
        var (low, high) = (first, last + 1);
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            var probe = await journal.ReadAsync(persistenceId, middle, middle);
            if (probe.Count == 1 && TryTimestamp(probe[0].Message.Id, out var at) && at < acceptedAt) low = middle + 1;
            else high = middle;
        }

        return low;
    }

    private static (long SequenceNr, StoredMessageV1 Message)? Find(IReadOnlyList<(long SequenceNr, StoredMessageV1 Message)> page, string id)
    {
        foreach (var row in page)
        {
            if (row.Message.Id == id) return row;
        }

        return null;
    }

    private static bool Beyond(string id, long target) =>
        TryTimestamp(id, out var at) && Math.Abs(at - target) > SlackMilliseconds;

    private static bool TryTimestamp(string id, out long milliseconds) =>
        long.TryParse(id.AsSpan(0, Math.Min(12, id.Length)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out milliseconds)
        && id.Length >= 12;
}
