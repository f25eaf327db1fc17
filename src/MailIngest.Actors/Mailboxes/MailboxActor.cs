using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using MailIngest.Actors.Content;
using MailIngest.Actors.Persistence;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// One recipient's mailbox as a sharded persistent entity. It acknowledges a store only inside the persist
/// callback, so an acknowledgement means the event is in the journal. It keeps only a bounded state in memory
/// (<see cref="MailboxState"/>) and pages stored messages from the journal.
/// </summary>
public sealed class MailboxActor : ReceivePersistentActor
{
    /// <summary>
    /// Events between snapshots. A snapshot holds at most <see cref="MailboxState.WindowSize"/> marks, so its cost
    /// per message stays the same however large the mailbox; recovery replays at most this many events after it.
    /// </summary>
    public const int SnapshotEvery = 1000;

    // A state load that takes longer is a storage failure: the entity stops and starts again on the next command.
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    // A journal that does not remove one row in this long has failed; the row and the body stay (logged).
    private static readonly TimeSpan RowDeleteTimeout = TimeSpan.FromSeconds(30);

    // Shorter than the delivery deadline (30 s by default): a ledger that cannot write turns into a 451, not a hang;
    // delivery's resends of the copy meanwhile wait in the in-flight set.
    private static readonly TimeSpan LedgerTimeout = TimeSpan.FromSeconds(5);

    // A mailbox that started empty and has taken one message is most likely an address written once (reply+token@,
    // a catch-all domain): it stops after this much silence instead of the shard's idle passivation (2 minutes), so
    // at a high rate of new addresses the live entities number that rate times this, not times two minutes. A second
    // message makes it an ordinary mailbox again.
    private static readonly TimeSpan WrittenOnceIdle = TimeSpan.FromSeconds(15);

    private readonly MailboxState _state = new();
    // Copies being written or judged, by dedup key, with the copies of the same key that arrived meanwhile.
    private readonly Dictionary<string, List<(StoreMessage Command, IActorRef Sender)>> _inFlight = new(StringComparer.Ordinal);
    // Who waits for each copy being written, by dedup key: told at once when the write fails.
    private readonly Dictionary<string, IActorRef> _writing = new(StringComparer.Ordinal);
    private readonly string _mailbox;
    // Deletions whose snapshot is being written: answered when a snapshot at or after their sequence number is saved.
    private readonly List<(long SequenceNr, IActorRef Sender, long Removed, Cleanup Cleanup)> _deleting = [];
    private readonly IContentStore _content;
    // Deleted messages whose bodies and rows are still to go, one cleanup at a time: the rows of a range go when its
    // release is done, and a later range's row deletion would hide rows an earlier release still has to read. The
    // entity stops only after them and after the snapshots of deletions in flight.
    private readonly List<Cleanup> _cleanups = [];
    private bool _cleaning;
    private bool _stopWhenSettled;
    private IActorRef? _ledger;
    private readonly MailboxQuota _quota;
    // Whether this mailbox last told the nodes it is full; a recount of its octets in flight, what arrived meanwhile,
    // and deletions so far (a recount that a deletion overtook counts again).
    private bool _full;
    private bool _recounting;
    private long _recountArrived;
    private long _deletions;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly MailboxJournal _journal = MailboxJournal.Get(Context.System);

    /// <summary>Props for the entity with this normalized address.</summary>
    /// <remarks>
    /// Made by a producer, not by reflection: every first message to an address starts an entity, and the reflective
    /// constructor call was a tenth of what starting one cost.
    /// </remarks>
    public static Props Props(string mailbox, IContentStore content, MailboxQuota quota) =>
        Akka.Actor.Props.CreateBy(new Producer(mailbox, content, quota));

    /// <summary>Every mailbox's persistence id is this prefix and its normalized address (the feed reads it back).</summary>
    public const string PersistenceIdPrefix = "mailbox-";

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>Use <see cref="Props"/>.</summary>
    private MailboxActor(string mailbox, IContentStore content, MailboxQuota quota)
    {
        _mailbox = mailbox;
        _content = content;
        _quota = quota;
        PersistenceId = PersistenceIdPrefix + mailbox;

        Recover<RecoveryCompleted>(_ =>
        {
            if (LastSequenceNr == 0) return;
            Become(Loading);
            LoadStateAsync(SnapshotStore, LastSequenceNr).PipeTo(Self);
        });
        Ready();
    }

    /// <summary>
    /// Recovery asks the journal only for the highest sequence number: no snapshot query, no replay. A mailbox never
    /// written to, the common case for inbound mail to a new address, is ready after that one query; one that holds
    /// messages then loads its bounded state (<see cref="LoadStateAsync"/>) before it takes a command.
    /// </summary>
    public override Recovery Recovery { get; } = new(SnapshotSelectionCriteria.None, toSequenceNr: 0);

    // STATES

    private void Ready()
    {
        Command<StoreMessage>(Store);
        Command<Judged>(OnJudged);
        Command<DeferTransaction>(Defer);
        Command<Terminated>(terminated =>
        {
            if (terminated.ActorRef.Equals(_ledger)) _ledger = null;
        });
        Command<StopMailbox>(stop => DeferAsync(stop, _ =>
        {
            _stopWhenSettled = true;
            StopIfSettled();
        }));
        Command<ReceiveTimeout>(_ =>
        {
            Context.SetReceiveTimeout(null);
            if (_inFlight.Count == 0) Passivate();
        });
        Command<ListMessages>(List);
        Command<GetMessage>(Get);
        Command<ClearMailbox>(clear =>
        {
            // After the writes in flight: what was accepted before the request goes with it.
            var sender = Sender;
            DeferAsync(clear, _ => DeleteThrough(_state.Count, sender));
        });
        Command<DeleteMessage>(delete =>
        {
            var sender = Sender;
            DeferAsync(delete, _ => LocateAsync(delete.Id)
                .PipeTo(Self, success: found => new DeletionLocated(found, sender, null), failure: cause => new DeletionLocated(null, sender, cause)));
        });
        Command<DeletionLocated>(DeleteOne);
        Command<ExpireMessages>(Expire);
        Command<ExpiryFound>(found =>
        {
            if (found.Failure is null) DeleteThrough(found.Through, found.Sender);
            else found.Sender.Tell(new Akka.Actor.Status.Failure(found.Failure));
        });
        Command<SaveSnapshotSuccess>(OnSnapshotSaved);
        Command<CleanedUp>(OnCleanedUp);
        Command<BytesCounted>(OnBytesCounted);
        Command<SaveSnapshotFailure>(OnSnapshotFailed);
        Command<DeleteMessagesSuccess>(deleted => _log.Debug("Deleted the journal rows of {0} through {1}", PersistenceId, deleted.ToSequenceNr));
        Command<DeleteMessagesFailure>(failure => _log.Warning(failure.Cause,
            "Deleting the journal rows of {0} through {1} failed; the messages stay deleted (the snapshot says so) and the rows go with the next deletion",
            PersistenceId, failure.ToSequenceNr));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure =>
            _log.Warning(failure.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    private void Loading()
    {
        Command<StateLoaded>(loaded =>
        {
            if (loaded.Snapshot is not null) Restore(loaded.Snapshot);
            foreach (var (sequenceNr, message) in loaded.Events) _state.Apply(new MessageStoredV1(message), sequenceNr);
            Stash.UnstashAll();
            Become(Ready);
            CheckQuota();
        });
        Command<Akka.Actor.Status.Failure>(failure =>
        {
            // Stashed commands go to dead letters and their senders answer 451 or 503; the next command starts the
            // entity again.
            _log.Error(failure.Cause, "Loading the state of {0} failed; stopping so the next command starts it again", PersistenceId);
            Context.Stop(Self);
        });
        CommandAny(_ => Stash.Stash());
    }

    /// <summary>The latest snapshot up to <paramref name="highest"/> and the events after it: what recovery would replay.</summary>
    private async Task<StateLoaded> LoadStateAsync(IActorRef snapshotStore, long highest)
    {
        var offer = await snapshotStore.Ask<LoadSnapshotResult>(
            new LoadSnapshot(PersistenceId, SnapshotSelectionCriteria.Latest, highest), LoadTimeout);
        var from = (offer.Snapshot?.Metadata.SequenceNr ?? 0) + 1;
        return new StateLoaded(offer.Snapshot?.Snapshot, await _journal.ReadAsync(PersistenceId, from, highest));
    }

    private void Restore(object snapshot)
    {
        switch (snapshot)
        {
            case MailboxSnapshotV4 current:
                _state.Restore(current);
                break;
            case MailboxSnapshotV3 beforeGaps:
                _state.Restore(beforeGaps);
                break;
            case MailboxSnapshotV2 bounded:
                _state.Restore(bounded);
                break;
            case MailboxSnapshotV1 legacy:
                _state.Restore(legacy);
                break;
        }
    }

    private void Store(StoreMessage command) => Store(command, Sender);

    private void Store(StoreMessage command, IActorRef sender)
    {
        var copy = command.Copy;
        if (_state.FindRecent(copy.Id) is { } resent)
        {
            // Delivery sent this transaction's copy again (an ack was slow or its shard moved): it is already durable.
            sender.Tell(new StoreMessageAck(command.Mailbox, resent.Id, Duplicate: true));
            return;
        }

        if (_inFlight.TryGetValue(copy.DedupKey, out var waiting))
        {
            // A copy with the same key is being written or judged right now: decide once that is settled.
            waiting.Add((command, sender));
            return;
        }

        _inFlight[copy.DedupKey] = [];
        switch (_state.FindDuplicate(copy.DedupKey))
        {
            case { } same when copy.MessageId is not null:
                // Same Message-ID and same content: the same message, whichever transaction brought it.
                Settle(copy.DedupKey, () => sender.Tell(new StoreMessageAck(command.Mailbox, same.Id, Duplicate: true)));
                break;
            case { } identical:
                // Same content and envelope without a Message-ID: a retry only if the stored copy's transaction was
                // deferred, which the ledger knows; otherwise another message that merely looks the same.
                Ledger.Ask<RetryJudged>(new JudgeRetry(identical.Id, copy.Id), LedgerTimeout)
                    .PipeTo(Self, success: judged => new Judged(command, sender, identical.Id, judged.Verdict),
                        failure: cause => new Judged(command, sender, identical.Id, null, cause));
                break;
            default:
                Persist(command, sender);
                break;
        }
    }

    private void Persist(StoreMessage command, IActorRef sender)
    {
        // PersistAsync does not hold back the next command while this write is in flight, so a busy mailbox has
        // many events per journal round trip; each sender still hears back only inside its own event's callback.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        // A node let this copy through while the mailbox is full: it had not heard (it just started, say).
        if (_full) Publish(full: true);
        _writing[command.Copy.DedupKey] = sender;
        PersistAsync(new MessageStoredV1(StoredMessageV1.Of(command.Copy)), stored =>
        {
            _writing.Remove(stored.Entry.DedupKey);
            MailIngestMeter.JournalWriteSeconds.Record(MailIngestMeter.SecondsSince(started));
            _state.Apply(stored, LastSequenceNr);
            if (_recounting) _recountArrived += stored.Entry.Size;
            CheckQuota();
            if (LastSequenceNr == 1) Context.SetReceiveTimeout(WrittenOnceIdle);
            else if (LastSequenceNr == 2) Context.SetReceiveTimeout(null);
            Settle(stored.Entry.DedupKey, () => sender.Tell(new StoreMessageAck(command.Mailbox, stored.Entry.Id, Duplicate: false)));
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
        });
    }

    private void OnJudged(Judged judged)
    {
        var key = judged.Command.Copy.DedupKey;
        switch (judged.Verdict)
        {
            case RetryVerdict.Claimable or RetryVerdict.AlreadyClaimed:
                Settle(key, () => judged.Sender.Tell(new StoreMessageAck(judged.Command.Mailbox, judged.StoredId, Duplicate: true)));
                break;
            case RetryVerdict.Distinct:
                Persist(judged.Command, judged.Sender);
                break;
            default:
                // No verdict: no ack, so the transaction is deferred and the client retries; nothing is merged blindly.
                _log.Warning(judged.Failure, "Retry ledger of {0} did not answer for {1}; the sender will answer 451",
                    PersistenceId, judged.Command.Copy.Id);
                Settle(key, () => { });
                break;
        }
    }

    /// <summary>Ends the in-flight state of <paramref name="dedupKey"/>, answers, then decides the copies that waited on it.</summary>
    private void Settle(string dedupKey, Action answer)
    {
        answer();
        if (!_inFlight.Remove(dedupKey, out var waiters)) return;
        foreach (var (command, sender) in waiters) Store(command, sender);
    }

    private void Defer(DeferTransaction deferred) => Ledger.Tell(new RetryDeferredV1(deferred.QueueId));

    /// <summary>The ledger child, started on first use (it recovers its own stream) and again after it stopped.</summary>
    private IActorRef Ledger
    {
        get
        {
            if (_ledger is null)
            {
                _ledger = Context.ActorOf(RetryLedgerActor.Props(_mailbox), "retries");
                Context.Watch(_ledger);
            }

            return _ledger;
        }
    }

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
    /// Deletes the messages through <paramref name="through"/>. The deletion is recorded in a snapshot, not as an event,
    /// because an event would take a sequence number and a sequence number is a message's position in the listing.
    /// Once the snapshot is saved the requester hears back and the journal rows through that point are deleted
    /// (<see cref="OnSnapshotSaved"/>).
    /// </summary>
    private void DeleteThrough(long through, IActorRef sender)
    {
        // The state changes now, so that any later snapshot (every SnapshotEvery events) records the deletion too.
        var from = _state.DeletedThrough + 1;
        var removed = _state.DeleteThrough(through);
        if (removed == 0)
        {
            sender.Tell(new MessagesDeleted(_mailbox, 0));
            PassivateIfEmpty();
            return;
        }

        _deletions++;
        _deleting.Add((LastSequenceNr, sender, removed, new RangeCleanup(from, _state.DeletedThrough)));
        SaveSnapshot(_state.ToSnapshot());
    }

    /// <summary>
    /// Deletes one message, found by <see cref="LocateAsync"/>: recorded in a snapshot, as <see cref="DeleteThrough"/>
    /// records a deletion of the oldest ones; then its row and its body go (<see cref="RemoveOneAsync"/>).
    /// </summary>
    private void DeleteOne(DeletionLocated located)
    {
        if (located.Failure is not null)
        {
            located.Sender.Tell(new Akka.Actor.Status.Failure(located.Failure));
            return;
        }

        if (located.Found is not { } found || !_state.DeleteOne(found.SequenceNr, found.Message.Size))
        {
            located.Sender.Tell(new MessagesDeleted(_mailbox, 0));
            PassivateIfEmpty();
            return;
        }

        _deletions++;
        _deleting.Add((LastSequenceNr, located.Sender, 1, new OneCleanup(found.SequenceNr, found.Message.ContentKey)));
        SaveSnapshot(_state.ToSnapshot());
    }

    private void OnSnapshotSaved(SaveSnapshotSuccess success)
    {
        var saved = success.Metadata.SequenceNr;
        DeleteSnapshots(new SnapshotSelectionCriteria(saved - 1));
        if (_deleting.Count == 0 || _deleting[0].SequenceNr > saved) return;
        foreach (var deletion in _deleting.Where(deletion => deletion.SequenceNr <= saved))
        {
            deletion.Sender.Tell(new MessagesDeleted(_mailbox, deletion.Removed));
            // Ranges of the oldest messages follow one another: one cleanup takes them together.
            if (deletion.Cleanup is RangeCleanup range && _cleanups is [.., RangeCleanup queued])
                _cleanups[^1] = new RangeCleanup(Math.Min(queued.First, range.First), Math.Max(queued.Last, range.Last));
            else
                _cleanups.Add(deletion.Cleanup);
        }

        _deleting.RemoveAll(deletion => deletion.SequenceNr <= saved);
        CleanNext();
        CheckQuota();
    }

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
        const int page = 1000;
        long bytes = 0;
        for (var from = first; from <= last; from += page)
        {
            var rows = await _journal.ReadAsync(PersistenceId, from, Math.Min(last, from + page - 1));
            bytes += rows.Where(row => !gaps.Contains(row.SequenceNr)).Sum(row => row.Message.Size);
        }

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
            // Physical removal: the plugin deletes the rows and keeps the highest one, marked deleted, so the sequence
            // numbers are never given out again, but with its payload; the row removal of one message empties that.
            // The journal carries both out whether this entity lives on or not.
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
        const int page = 1000;
        for (var from = first; from <= last; from += page)
        {
            var rows = await _journal.ReadAsync(PersistenceId, from, Math.Min(last, from + page - 1));
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

    private void OnSnapshotFailed(SaveSnapshotFailure failure)
    {
        _log.Warning(failure.Cause, "Snapshot of {0} failed", PersistenceId);
        if (!_deleting.Any(deletion => deletion.SequenceNr == failure.Metadata.SequenceNr)) return;
        // The deletion is not durable, but memory says it happened: stop after the writes in flight, so that the next
        // command recovers what the store holds. The requester gets no answer (the admin API answers 503).
        _log.Error(failure.Cause, "Deleting messages of {0} could not be recorded; stopping so that it recovers what is stored", PersistenceId);
        _deleting.Clear();
        Self.Tell(StopMailbox.Instance);
    }

    private void List(ListMessages list)
    {
        PassivateIfEmpty();
        var (from, to) = _state.Page(list.Offset, list.Limit);
        var total = _state.Total;
        // A message deleted alone may still have its row for a moment (its cleanup runs after the deletion's answer).
        var gaps = _state.DeletedBetween(from, to);
        _journal.ReadAsync(PersistenceId, from, to).PipeTo(Sender, success: page => new MessageList(list.Mailbox, total,
            page.Where(item => !gaps.Contains(item.SequenceNr)).Reverse().Select(item => item.Message).ToArray()));
    }

    private void Get(GetMessage get)
    {
        PassivateIfEmpty();
        LocateAsync(get.Id).PipeTo(Sender, success: found => new MessageLookup(get.Mailbox, found?.Message));
    }

    /// <summary>The message with queue id <paramref name="id"/> and its sequence number, unless there is none or it was deleted.</summary>
    private Task<(long SequenceNr, StoredMessageV1 Message)?> LocateAsync(string id)
    {
        switch (_state.FindRecent(id))
        {
            case { } deleted when _state.IsDeleted(deleted.SequenceNr):
                return Task.FromResult<(long, StoredMessageV1)?>(null);
            case { } recent:
                return ReadOneAsync(recent.SequenceNr, id);
        }

        var (first, last) = (_state.DeletedThrough + 1, _state.WindowStart - 1);
        var gaps = _state.DeletedBetween(first, last);
        return MailboxSearch.FindAsync(_journal, PersistenceId, id, first, last)
            .ContinueWith(search => search.Result is { } found && gaps.Contains(found.SequenceNr) ? null : search.Result,
                TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>
    /// A read of an address that has no mail (a typo, a probe, a scan) leaves nothing behind: the entity stops after
    /// answering instead of living until the idle passivation, so reads of unknown addresses cannot fill memory.
    /// </summary>
    private void PassivateIfEmpty()
    {
        if (_state.Total == 0 && _inFlight.Count == 0 && _ledger is null && _deleting.Count == 0 && !_cleaning) Passivate();
    }

    /// <summary>Stops once asked to and no deletion is half done (its snapshot or its release still in flight).</summary>
    private void StopIfSettled()
    {
        if (_stopWhenSettled && !_cleaning && _deleting.Count == 0) Context.Stop(Self);
    }

    /// <summary>Asks the shard to stop this entity; <see cref="StopMailbox"/> lets writes in flight finish first.</summary>
    private void Passivate() => Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(StopMailbox.Instance));

    private async Task<(long SequenceNr, StoredMessageV1 Message)?> ReadOneAsync(long sequenceNr, string id)
    {
        var found = await _journal.ReadAsync(PersistenceId, sequenceNr, sequenceNr);
        return found.Count == 1 && found[0].Message.Id == id ? found[0] : null;
    }

    /// <inheritdoc />
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The journal refused the event (the actor keeps running): the sender hears why and answers 451, and the key
        // must leave the in-flight set or every retry of this message would wait for an ack that never comes.
        if (@event is MessageStoredV1 stored) Settle(stored.Entry.DedupKey, () => TellWriteFailed(stored, cause));
        _log.Error(cause, "Journal rejected an event of {0} at sequence {1}; the sender will answer 451", PersistenceId, sequenceNr);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    /// <inheritdoc />
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The sender hears why at once (a 451, or a 452 when the database is full) instead of waiting for its deadline.
        // The actor stops and the shard restarts it on the next message, recovering from the journal.
        if (@event is MessageStoredV1 stored) TellWriteFailed(stored, cause);
        _log.Error(cause, "Persisting to {0} failed at sequence {1}; the sender will answer 451", PersistenceId, sequenceNr);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    private void TellWriteFailed(MessageStoredV1 stored, Exception cause)
    {
        if (_writing.Remove(stored.Entry.DedupKey, out var sender)) sender.Tell(new Akka.Actor.Status.Failure(cause));
    }

    private sealed class Producer(string mailbox, IContentStore content, MailboxQuota quota) : IIndirectActorProducer
    {
        public Type ActorType => typeof(MailboxActor);

        public ActorBase Produce() => new MailboxActor(mailbox, content, quota);

        public void Release(ActorBase actor)
        {
        }
    }

    /// <summary>A mailbox's state as recovery would build it: the latest snapshot, if any, and the messages after it.</summary>
    private sealed record StateLoaded(object? Snapshot, IReadOnlyList<(long SequenceNr, StoredMessageV1 Message)> Events);

    /// <summary>What of deleted messages is still to go once their deletion is recorded.</summary>
    private abstract record Cleanup;

    /// <summary>The oldest messages <paramref name="First"/>..<paramref name="Last"/>: their bodies, then their rows.</summary>
    private sealed record RangeCleanup(long First, long Last) : Cleanup;

    /// <summary>One message deleted alone: its row, then its body.</summary>
    private sealed record OneCleanup(long SequenceNr, string ContentKey) : Cleanup;

    /// <summary>A cleanup ended (or failed).</summary>
    private sealed record CleanedUp(Cleanup Cleanup, Exception? Failure);

    /// <summary>A recount's octets (or its failure), and the deletions made when it started.</summary>
    private sealed record BytesCounted(long Bytes, long Deletions, Exception? Failure);

    /// <summary>The message a <see cref="DeleteMessage"/> names, found (or not, or the search failed).</summary>
    private sealed record DeletionLocated((long SequenceNr, StoredMessageV1 Message)? Found, IActorRef Sender, Exception? Failure);

    /// <summary>Retention's cut-off found: the messages through <paramref name="Through"/> go (or the search failed).</summary>
    private sealed record ExpiryFound(long Through, IActorRef Sender, Exception? Failure);

    /// <summary>The ledger's verdict on a copy, back on the mailbox's thread; no verdict when the ledger did not answer.</summary>
    private sealed record Judged(StoreMessage Command, IActorRef Sender, string StoredId, RetryVerdict? Verdict, Exception? Failure = null);
}
