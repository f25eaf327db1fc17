using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MailIngest.Actors.Content;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// One recipient's mailbox as a sharded persistent entity. It acknowledges a store only inside the persist
/// callback, so an acknowledgement means the event is in the journal. It keeps only a bounded state in memory
/// (<see cref="MailboxState"/>) and pages stored messages from the journal.
/// </summary>
public sealed partial class MailboxActor : ReceivePersistentActor
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
    private readonly IContentStore _content;
    // Deleted messages whose bodies and rows are still to go, one cleanup at a time: the rows of a range go when its
    // release is done, and a later range's row deletion would hide rows an earlier release still has to read. The
    // entity stops only after them.
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
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<CleanedUp>(OnCleanedUp);
        Command<BytesCounted>(OnBytesCounted);
        // A snapshot only shortens recovery: without it the events since the last one are replayed.
        Command<SaveSnapshotFailure>(failure => _log.Warning(failure.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteMessagesSuccess>(deleted => _log.Debug("Deleted the journal rows of {0} through {1}", PersistenceId, deleted.ToSequenceNr));
        Command<DeleteMessagesFailure>(failure => _log.Warning(failure.Cause,
            "Deleting the journal rows of {0} through {1} failed; the messages stay deleted (the deletion's event says so) and the rows go with the next deletion",
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
            foreach (var (sequenceNr, recorded) in loaded.Events)
            {
                if (recorded is MessagesDeletedV1 deletion) _state.Apply(deletion, sequenceNr);
                else _state.Apply((MessageStoredV1)recorded, sequenceNr);
            }

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
        return new StateLoaded(offer.Snapshot?.Snapshot, await _journal.ReadEventsAsync(PersistenceId, from, highest));
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
            SnapshotIfDue();
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
        if (_state.Total == 0 && _inFlight.Count == 0 && _ledger is null && !_cleaning && _cleanups.Count == 0) Passivate();
    }

    /// <summary>Stops once asked to and no cleanup of deleted messages is left (a deletion's event is written by then).</summary>
    private void StopIfSettled()
    {
        if (_stopWhenSettled && !_cleaning && _cleanups.Count == 0) Context.Stop(Self);
    }

    /// <summary>A snapshot every <see cref="SnapshotEvery"/> events, stored messages and deletions alike.</summary>
    private void SnapshotIfDue()
    {
        if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
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

    /// <summary>A mailbox's state as recovery would build it: the latest snapshot, if any, and the events after it.</summary>
    private sealed record StateLoaded(object? Snapshot, IReadOnlyList<(long SequenceNr, object Event)> Events);

    /// <summary>The ledger's verdict on a copy, back on the mailbox's thread; no verdict when the ledger did not answer.</summary>
    private sealed record Judged(StoreMessage Command, IActorRef Sender, string StoredId, RetryVerdict? Verdict, Exception? Failure = null);
}
