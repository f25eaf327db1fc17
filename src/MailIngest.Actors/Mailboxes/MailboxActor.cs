using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using MailIngest.Actors.Status;

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

    private readonly MailboxState _state = new();
    private readonly Dictionary<string, List<IActorRef>> _inFlight = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly MailboxJournal _journal = MailboxJournal.Get(Context.System);

    /// <summary>Props for the entity with this normalized address.</summary>
    public static Props Props(string mailbox) => Akka.Actor.Props.Create(() => new MailboxActor(mailbox));

    /// <summary>Every mailbox's persistence id is this prefix and its normalized address (the feed reads it back).</summary>
    public const string PersistenceIdPrefix = "mailbox-";

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public MailboxActor(string mailbox)
    {
        PersistenceId = PersistenceIdPrefix + mailbox;

        Recover<MessageStoredV1>(stored => _state.Apply(stored, LastSequenceNr));
        Recover<SnapshotOffer>(offer =>
        {
            switch (offer.Snapshot)
            {
                case MailboxSnapshotV2 snapshot:
                    _state.Restore(snapshot);
                    break;
                case MailboxSnapshotV1 legacy:
                    _state.Restore(legacy);
                    break;
            }
        });

        Command<StoreMessage>(Store);
        Command<ListMessages>(List);
        Command<GetMessage>(Get);
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(
            new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning(failure.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure =>
            _log.Warning(failure.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    private void Store(StoreMessage command)
    {
        var copy = command.Copy;
        if (_state.FindDuplicate(copy.DedupKey) is { } duplicate)
        {
            // A client retry after a 451, or a resend by delivery: this copy is already durable, acknowledge it
            // without a second event.
            Sender.Tell(new StoreMessageAck(command.Mailbox, duplicate.Id, Duplicate: true));
            return;
        }

        if (_inFlight.TryGetValue(copy.DedupKey, out var waiting))
        {
            // The same message is being written right now (a retry racing its original): answer when it is durable.
            waiting.Add(Sender);
            return;
        }

        // PersistAsync does not hold back the next command while this write is in flight, so a busy mailbox has
        // many events per journal round trip; each sender still hears back only inside its own event's callback.
        var sender = Sender;
        _inFlight[copy.DedupKey] = [];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        PersistAsync(new MessageStoredV1(StoredMessageV1.Of(copy)), stored =>
        {
            MailIngestMeter.JournalWriteSeconds.Record(MailIngestMeter.SecondsSince(started));
            _state.Apply(stored, LastSequenceNr);
            sender.Tell(new StoreMessageAck(command.Mailbox, stored.Entry.Id, Duplicate: false));
            if (_inFlight.Remove(stored.Entry.DedupKey, out var waiters))
            {
                foreach (var waiter in waiters) waiter.Tell(new StoreMessageAck(command.Mailbox, stored.Entry.Id, Duplicate: true));
            }

            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
        });
    }

    private void List(ListMessages list)
    {
        var (from, to) = _state.Page(list.Offset, list.Limit);
        var total = _state.Count;
        _journal.ReadAsync(PersistenceId, from, to).PipeTo(Sender, success: page =>
            new MessageList(list.Mailbox, total, page.Reverse().Select(item => item.Message).ToArray()));
    }

    private void Get(GetMessage get)
    {
        var task = _state.FindRecent(get.Id) is { } recent
            ? ReadOneAsync(recent.SequenceNr, get.Id)
            : MailboxSearch.FindAsync(_journal, PersistenceId, get.Id, _state.WindowStart - 1);
        task.PipeTo(Sender, success: message => new MessageLookup(get.Mailbox, message));
    }

    private async Task<StoredMessageV1?> ReadOneAsync(long sequenceNr, string id)
    {
        var found = await _journal.ReadAsync(PersistenceId, sequenceNr, sequenceNr);
        return found.Count == 1 && found[0].Message.Id == id ? found[0].Message : null;
    }

    /// <inheritdoc />
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The journal refused the event (the actor keeps running): no ack, so the sender answers 451, and the key
        // must leave the in-flight set or every retry of this message would wait for an ack that never comes.
        if (@event is MessageStoredV1 stored) _inFlight.Remove(stored.Entry.DedupKey);
        _log.Error(cause, "Journal rejected an event of {0} at sequence {1}; the sender will answer 451", PersistenceId, sequenceNr);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    /// <inheritdoc />
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // No ack is sent: the delivery's ask times out and the client gets 451 4.3.0. The actor stops and
        // the shard restarts it on the next message, recovering from the journal.
        _log.Error(cause, "Persisting to {0} failed at sequence {1}; the sender will answer 451", PersistenceId, sequenceNr);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
