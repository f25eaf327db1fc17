using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// One recipient's mailbox as a sharded persistent entity. It acknowledges a store only inside the
/// persist callback, so an acknowledgement means the event is in the journal.
/// </summary>
public sealed class MailboxActor : ReceivePersistentActor
{
    /// <summary>Events between snapshots; keeps recovery short for busy mailboxes.</summary>
    public const int SnapshotEvery = 100;

    private readonly MailboxState _state = new();
    private readonly Dictionary<string, List<IActorRef>> _inFlight = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Props for the entity with this normalized address.</summary>
    public static Props Props(string mailbox) => Akka.Actor.Props.Create(() => new MailboxActor(mailbox));

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public MailboxActor(string mailbox)
    {
        PersistenceId = "mailbox-" + mailbox;

        Recover<MessageStored>(_state.Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is MailboxSnapshot snapshot) _state.Restore(snapshot);
        });

        Command<StoreMessage>(Store);
        Command<ListMessages>(list =>
            Sender.Tell(new MessageList(list.Mailbox, _state.Count, _state.Page(list.Offset, list.Limit))));
        Command<GetMessage>(get => Sender.Tell(new MessageLookup(get.Mailbox, _state.Find(get.Id))));
        Command<SaveSnapshotSuccess>(success => DeleteSnapshots(
            new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failure => _log.Warning(failure.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure =>
            _log.Warning(failure.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    private void Store(StoreMessage command)
    {
        var duplicate = _state.FindDuplicate(command.Entry);
        if (duplicate is not null)
        {
            // A client retry after a 451: this copy is already durable, acknowledge without a second event.
            Sender.Tell(new StoreMessageAck(command.Mailbox, duplicate.Id, Duplicate: true));
            return;
        }

        if (_inFlight.TryGetValue(command.Entry.DedupKey, out var waiting))
        {
            // The same message is being written right now (a retry racing its original): answer when it is durable.
            waiting.Add(Sender);
            return;
        }

        // PersistAsync does not hold back the next command while this write is in flight, so a busy mailbox has
        // many events per journal round trip; each sender still hears back only inside its own event's callback.
        var sender = Sender;
        _inFlight[command.Entry.DedupKey] = [];
        PersistAsync(new MessageStored(command.Entry), stored =>
        {
            _state.Apply(stored);
            sender.Tell(new StoreMessageAck(command.Mailbox, stored.Entry.Id, Duplicate: false));
            if (_inFlight.Remove(stored.Entry.DedupKey, out var waiters))
            {
                foreach (var waiter in waiters) waiter.Tell(new StoreMessageAck(command.Mailbox, stored.Entry.Id, Duplicate: true));
            }

            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_state.ToSnapshot());
        });
    }

    /// <inheritdoc />
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The journal refused the event (the actor keeps running): no ack, so the sender answers 451, and the key
        // must leave the in-flight set or every retry of this message would wait for an ack that never comes.
        if (@event is MessageStored stored) _inFlight.Remove(stored.Entry.DedupKey);
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
