using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MailIngest.Actors.Persistence;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Deleting: the oldest messages (emptying, retention) or one message. A deletion is an event in the mailbox's journal,
/// then the rows and the bodies it leaves go, one cleanup at a time.
/// </summary>
public sealed partial class MailboxActor
{
    /// <summary>
    /// Retention: the messages accepted before the cut-off are the oldest ones, so they end at one sequence number,
    /// found by a binary search over the queue ids' acceptance times.
    /// </summary>
    private void Expire(ExpireMessages expire)
    {
        var sender = Sender;
        MailboxSearch.FirstAcceptedAtOrAfterAsync(_journal, PersistenceId, expire.AcceptedBefore.ToUnixTimeMilliseconds(),
                _state.DeletedThrough + 1, _state.Count)
            .PipeTo(Self, success: first => new ExpiryFound(first - 1, sender, null), failure: cause => new ExpiryFound(0, sender, cause));
    }

    /// <summary>
    /// Deletes the messages through <paramref name="through"/>: a <see cref="MessagesDeletedV1"/> event records it (its
    /// sequence number is no message: the listing steps over it), the requester hears back once it is persisted, and
    /// then the rows and bodies through that point go.
    /// </summary>
    private void DeleteThrough(long through, IActorRef sender)
    {
        if (through <= _state.DeletedThrough)
        {
            sender.Tell(new MessagesDeleted(_mailbox, 0));
            PassivateIfEmpty();
            return;
        }

        _deletions++;
        PersistAsync(new MessagesDeletedV1(through, 0), deletion =>
        {
            var from = _state.DeletedThrough + 1;
            Recorded(sender, _state.Apply(deletion, LastSequenceNr), new RangeCleanup(from, deletion.Through));
        });
    }

    /// <summary>
    /// Deletes one message, found by <see cref="LocateAsync"/>: recorded as <see cref="DeleteThrough"/> records a
    /// deletion of the oldest ones; then its row and its body go (<see cref="RemoveOneAsync"/>).
    /// </summary>
    private void DeleteOne(DeletionLocated located)
    {
        if (located.Failure is not null)
        {
            located.Sender.Tell(new Akka.Actor.Status.Failure(located.Failure));
            return;
        }

        if (located.Found is not { } found || _state.IsDeleted(found.SequenceNr))
        {
            located.Sender.Tell(new MessagesDeleted(_mailbox, 0));
            PassivateIfEmpty();
            return;
        }

        _deletions++;
        PersistAsync(new MessagesDeletedV1(0, found.SequenceNr), deletion => Recorded(located.Sender,
            _state.Apply(deletion, LastSequenceNr, found.Message.Size), new OneCleanup(found.SequenceNr, found.Message.ContentKey)));
    }

    /// <summary>A deletion is durable: the requester hears how many messages went, and what they leave is cleaned up.</summary>
    private void Recorded(IActorRef requester, long removed, Cleanup cleanup)
    {
        requester.Tell(new MessagesDeleted(_mailbox, removed));
        if (removed > 0)
        {
            // Ranges of the oldest messages follow one another: one cleanup takes them together.
            if (cleanup is RangeCleanup range && _cleanups is [.., RangeCleanup queued])
                _cleanups[^1] = new RangeCleanup(Math.Min(queued.First, range.First), Math.Max(queued.Last, range.Last));
            else
                _cleanups.Add(cleanup);
            CleanNext();
        }

        SnapshotIfDue();
        CheckQuota();
    }

    /// <summary>Starts the next cleanup of deleted messages unless one is running.</summary>
    private void CleanNext()
    {
        if (_cleaning || _cleanups.Count == 0) return;
        var next = _cleanups[0];
        _cleanups.RemoveAt(0);
        _cleaning = true;
        var done = next switch
        {
            RangeCleanup range => ReleaseContentAsync(range.First, range.Last),
            OneCleanup one => RemoveOneAsync(Journal, one),
            _ => throw new InvalidOperationException(next.ToString()),
        };
        done.PipeTo(Self, success: () => new CleanedUp(next, null), failure: cause => new CleanedUp(next, cause));
    }

    private void OnCleanedUp(CleanedUp cleaned)
    {
        if (cleaned.Cleanup is RangeCleanup range)
        {
            if (cleaned.Failure is not null)
                _log.Warning(cleaned.Failure, "Releasing the content of {0}'s deleted messages failed; those bodies are kept", PersistenceId);
            // Physical removal: the plugin deletes the rows and keeps the highest one, marked deleted and with its payload;
            // the deletion's own event is newer, so the removal of one row takes that one too. The journal carries both
            // out whether this entity lives on or not.
            DeleteMessages(range.Last);
            var last = range.Last;
            Journal.Ask<JournalRowDeleted>(new DeleteJournalRow(PersistenceId, last), RowDeleteTimeout).ContinueWith(removal =>
                _log.Warning(removal.Exception, "Emptying the kept row {1} of {0} failed; its payload stays", PersistenceId, last),
                TaskContinuationOptions.OnlyOnFaulted);
        }
        else if (cleaned.Failure is not null)
        {
            _log.Warning(cleaned.Failure, "Removing the row or the body of {0}'s deleted message {1} failed; what was not removed is kept",
                PersistenceId, ((OneCleanup)cleaned.Cleanup).SequenceNr);
        }

        _cleaning = false;
        CleanNext();
        StopIfSettled();
    }

    /// <summary>One copy fewer refers to each deleted message's body; read and released a page at a time.</summary>
    private async Task ReleaseContentAsync(long first, long last)
    {
        await foreach (var rows in _journal.ReadPagesAsync(PersistenceId, first, last))
        {
            if (rows.Count > 0) await _content.ReleaseAsync(rows.Select(row => row.Message.ContentKey).ToArray(), CancellationToken.None);
        }
    }

    /// <summary>
    /// The row of a message deleted alone goes first, then its body: if the row cannot go, the body stays referred to
    /// (a later deletion of the oldest messages, which reads the rows left, releases it once); a failure in between
    /// keeps a body nobody refers to rather than releasing one twice.
    /// </summary>
    private async Task RemoveOneAsync(IActorRef journal, OneCleanup one)
    {
        await journal.Ask<JournalRowDeleted>(new DeleteJournalRow(PersistenceId, one.SequenceNr), RowDeleteTimeout);
        await _content.ReleaseAsync([one.ContentKey], CancellationToken.None);
    }

    /// <summary>What of deleted messages is still to go once their deletion is recorded.</summary>
    private abstract record Cleanup;

    /// <summary>The oldest messages <paramref name="First"/>..<paramref name="Last"/>: their bodies, then their rows.</summary>
    private sealed record RangeCleanup(long First, long Last) : Cleanup;

    /// <summary>One message deleted alone: its row, then its body.</summary>
    private sealed record OneCleanup(long SequenceNr, string ContentKey) : Cleanup;

    /// <summary>A cleanup ended (or failed).</summary>
    private sealed record CleanedUp(Cleanup Cleanup, Exception? Failure);

    /// <summary>The message a <see cref="DeleteMessage"/> names, found (or not, or the search failed).</summary>
    private sealed record DeletionLocated((long SequenceNr, StoredMessageV1 Message)? Found, IActorRef Sender, Exception? Failure);

    /// <summary>Retention's cut-off found: the messages through <paramref name="Through"/> go (or the search failed).</summary>
    private sealed record ExpiryFound(long Through, IActorRef Sender, Exception? Failure);
}
