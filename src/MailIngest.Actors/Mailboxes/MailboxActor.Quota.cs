using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;

namespace MailIngest.Actors.Mailboxes;

/// <summary>The quota: whether the mailbox is full, told to every node's <see cref="QuotaBoard"/>.</summary>
public sealed partial class MailboxActor
{
    /// <summary>
    /// Tells every node when the mailbox fills up or has room again (MailIngest:Quota). The message count is exact; the
    /// octets may be high after the oldest messages were deleted, so before a mailbox is called full by its octets they
    /// are counted from the journal (<see cref="Recount"/>).
    /// </summary>
    private void CheckQuota()
    {
        if (!_quota.Limits) return;
        if (_quota.MaxMessages is { } most && _state.Total >= most) SetFull(true);
        else if (_quota.MaxBytes is not { } octets || _state.BytesAtMost < octets) SetFull(false);
        else if (_state.BytesExact) SetFull(true);
        else Recount();
    }

    private void SetFull(bool full)
    {
        if (full == _full) return;
        _full = full;
        _log.Info(full ? "Mailbox {0} is full ({1} messages, at most {2} octets)" : "Mailbox {0} has room again ({1} messages, at most {2} octets)",
            _mailbox, _state.Total, _state.BytesAtMost);
        Publish(full);
    }

    private void Publish(bool full) =>
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(QuotaBoard.Topic, new MailboxQuotaChanged(_mailbox, full)));

    /// <summary>Counts the octets of the messages held now, a page of rows at a time; what arrives meanwhile is added.</summary>
    private void Recount()
    {
        if (_recounting) return;
        (_recounting, _recountArrived) = (true, 0);
        var (first, last, deletions) = (_state.DeletedThrough + 1, _state.Count, _deletions);
        var gaps = _state.DeletedBetween(first, last);
        CountBytesAsync(first, last, gaps)
            .PipeTo(Self, success: bytes => new BytesCounted(bytes, deletions, null), failure: cause => new BytesCounted(0, deletions, cause));
    }

    private async Task<long> CountBytesAsync(long first, long last, IReadOnlySet<long> gaps)
    {
        long bytes = 0;
        await foreach (var rows in _journal.ReadPagesAsync(PersistenceId, first, last))
            bytes += rows.Where(row => !gaps.Contains(row.SequenceNr)).Sum(row => row.Message.Size);
        return bytes;
    }

    private void OnBytesCounted(BytesCounted counted)
    {
        _recounting = false;
        if (counted.Failure is not null)
        {
            _log.Warning(counted.Failure, "Counting the octets of {0} failed; its quota is checked again with the next message", PersistenceId);
            return;
        }

        if (counted.Deletions == _deletions) _state.Recounted(counted.Bytes, _recountArrived);
        CheckQuota();
    }

    /// <summary>A recount's octets (or its failure), and the deletions made when it started.</summary>
    private sealed record BytesCounted(long Bytes, long Deletions, Exception? Failure);
}
