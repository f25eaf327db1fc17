using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// A mailbox's retry ledger (<see cref="RetryLedger"/>) as a persistent child of the mailbox entity, in a journal
/// stream of its own so the mailbox's sequence numbers stay its message positions. It is started only when a
/// transaction to the mailbox is deferred or a copy arrives whose content and envelope match a stored one, so the
/// ordinary path never pays for it.
/// </summary>
public sealed class RetryLedgerActor : ReceivePersistentActor
{
    /// <summary>Events between snapshots; events up to a snapshot are deleted, so recovery stays short.</summary>
    public const int SnapshotEvery = 100;

    private readonly RetryLedger _ledger = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Props for the ledger of the mailbox with this normalized address.</summary>
    public static Props Props(string mailbox) => Akka.Actor.Props.Create(() => new RetryLedgerActor(mailbox));

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public RetryLedgerActor(string mailbox)
    {
        // Not "mailbox-…": the feed reads every stream with that prefix as stored messages.
        PersistenceId = "retries-" + mailbox;

        Recover<RetryDeferredV1>(_ledger.Apply);
        Recover<RetryClaimedV1>(_ledger.Apply);
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is RetryLedgerSnapshotV1 snapshot) _ledger.Restore(snapshot);
        });

        Command<RetryDeferredV1>(deferred => Persist(deferred, stored =>
        {
            _ledger.Apply(stored);
            SnapshotWhenDue();
        }));
        Command<JudgeRetry>(Judge);
        Command<SaveSnapshotSuccess>(success =>
        {
            DeleteMessages(success.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(failure => _log.Warning(failure.Cause, "Snapshot of {0} failed", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failure => _log.Warning(failure.Cause, "Deleting old events of {0} failed", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure => _log.Warning(failure.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
    }

    private void Judge(JudgeRetry judge)
    {
        var verdict = _ledger.Judge(judge.CopyId, judge.QueueId);
        if (verdict != RetryVerdict.Claimable)
        {
            Sender.Tell(new RetryJudged(verdict));
            return;
        }

        // Persist, not PersistAsync: a second judgement of the same copy must see this claim.
        var sender = Sender;
        Persist(new RetryClaimedV1(judge.CopyId, judge.QueueId), claimed =>
        {
            _ledger.Apply(claimed);
            sender.Tell(new RetryJudged(RetryVerdict.Claimable));
            SnapshotWhenDue();
        });
    }

    private void SnapshotWhenDue()
    {
        if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_ledger.ToSnapshot());
    }
}
