using Akka.Actor;
using Akka.Persistence;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Persistence;

/// <summary>
/// The node's journal answers every recovery's "highest sequence number" from batched statements on a real SQLite
/// file: each id gets its own number however many ask at once, deleted events still count, and a recovery sees
/// its id's write that was still in flight when it asked. Its own write path stores rows the plugin replays as it
/// wrote them, and rejects only the write whose event cannot be serialized.
/// </summary>
public sealed class BatchedRecoveryJournalSpecs : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly SpecDatabase _database;
    private readonly IActorRef _journal;

    /// <summary>Creates the spec on a fresh SQLite file.</summary>
    public BatchedRecoveryJournalSpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private BatchedRecoveryJournalSpecs(SpecDatabase database, ITestOutputHelper output)
        : base(SpecConfig.Setup(database.JournalConnectionString), "journal-spec", output)
    {
        _database = database;
        _journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
    }

    [Fact]
    public void Ids_recovering_at_once_each_get_their_own_highest_sequence_number()
    {
        // Arrange: id-0 .. id-59 hold 0 .. 4 events each; id-7's events are deleted.
        var expected = Enumerable.Range(0, 60).ToDictionary(i => "id-" + i, i => (long)(i % 5));
        foreach (var (id, count) in expected.Where(pair => pair.Value > 0)) Write(id, count);
        _journal.Tell(new DeleteMessagesTo("id-7", 2, TestActor));
        ExpectMsg<DeleteMessagesSuccess>(Wait);

        // Act: every recovery asked before any answer comes back, so they share statements.
        var probes = expected.Keys.ToDictionary(id => id, _ => CreateTestProbe());
        foreach (var (id, probe) in probes) _journal.Tell(new ReplayMessages(1, 0, 0, id, probe.Ref));

        // Assert
        foreach (var (id, probe) in probes) Assert.Equal(expected[id], probe.ExpectMsg<RecoverySuccess>(Wait).HighestSequenceNr);
        Assert.Equal(1, _database.CountJournal("SELECT COUNT(*) FROM journal WHERE persistence_id = 'id-7'"));
    }

    [Fact]
    public void A_recovery_sees_the_write_of_its_id_that_was_in_flight_when_it_asked()
    {
        // Arrange: three events of one id sent to the journal, not yet confirmed.
        var writer = CreateTestProbe();
        _journal.Tell(WriteMessages("in-flight", 3, writer.Ref));

        // Act
        _journal.Tell(new ReplayMessages(1, 0, 0, "in-flight", TestActor));

        // Assert
        Assert.Equal(3, ExpectMsg<RecoverySuccess>(Wait).HighestSequenceNr);
        writer.ExpectMsg<WriteMessagesSuccessful>(Wait);
    }

    [Fact]
    public void Writes_of_many_ids_sent_at_once_are_replayed_with_their_events_in_order()
    {
        // Arrange
        var ids = Enumerable.Range(0, 30).Select(i => "many-" + i).ToArray();
        var writers = ids.ToDictionary(id => id, _ => CreateTestProbe());

        // Act: every write is queued before the first commits, so they share batches.
        foreach (var id in ids) _journal.Tell(WriteMessages(id, 3, writers[id].Ref));
        foreach (var id in ids) writers[id].ExpectMsg<WriteMessagesSuccessful>(Wait);

        // Assert: the plugin's replay reads each id's events back, in order, with payload and sequence number.
        foreach (var id in ids)
        {
            _journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, id, TestActor));
            var replayed = Enumerable.Range(0, 3).Select(_ => ExpectMsg<ReplayedMessage>(Wait).Persistent).ToArray();
            Assert.Equal(3, ExpectMsg<RecoverySuccess>(Wait).HighestSequenceNr);
            Assert.Equal(["event 1", "event 2", "event 3"], replayed.Select(persistent => (string)persistent.Payload));
            Assert.Equal([1L, 2L, 3L], replayed.Select(persistent => persistent.SequenceNr));
            Assert.All(replayed, persistent => Assert.Equal(id, persistent.PersistenceId));
        }

        Assert.Equal(90, _database.CountJournal("SELECT COUNT(DISTINCT ordering) FROM journal WHERE persistence_id LIKE 'many-%'"));
    }

    [Fact]
    public void An_event_that_cannot_be_serialized_is_rejected_and_the_other_write_of_the_call_is_stored()
    {
        // Arrange: one call with two atomic writes, the first of which no serializer can turn into bytes.
        var writes = new WriteMessages(
            [
                new AtomicWrite(new Persistent(new Unserializable(), 1, "broken", writerGuid: "spec")),
                new AtomicWrite(new Persistent("kept", 1, "kept", writerGuid: "spec")),
            ],
            TestActor,
            actorInstanceId: 1);

        // Act
        _journal.Tell(writes);

        // Assert
        ExpectMsg<WriteMessagesSuccessful>(Wait);
        Assert.Equal("broken", ExpectMsg<WriteMessageRejected>(Wait).Persistent.PersistenceId);
        Assert.Equal("kept", ExpectMsg<WriteMessageSuccess>(Wait).Persistent.PersistenceId);
        Assert.Equal(0, _database.CountJournal("SELECT COUNT(*) FROM journal WHERE persistence_id = 'broken'"));
        Assert.Equal(1, _database.CountJournal("SELECT COUNT(*) FROM journal WHERE persistence_id = 'kept'"));
    }

    [Fact]
    public void A_write_that_collides_with_a_stored_row_fails_alone_and_the_journal_keeps_writing()
    {
        // Arrange: "taken" already holds sequence number 1, as when another incarnation of its entity wrote first.
        Write("taken", 1);
        var ids = Enumerable.Range(0, 30).Select(i => "beside-" + i).ToArray();
        var writers = ids.ToDictionary(id => id, _ => CreateTestProbe());
        var collider = CreateTestProbe();

        // Act: the colliding write is queued among the others, so it shares their batch.
        foreach (var id in ids.Take(15)) _journal.Tell(WriteMessages(id, 1, writers[id].Ref));
        _journal.Tell(WriteMessages("taken", 1, collider.Ref));
        foreach (var id in ids.Skip(15)) _journal.Tell(WriteMessages(id, 1, writers[id].Ref));

        // Assert: only the colliding write fails. Every failed write counts against the journal's circuit breaker,
        // which opens after ten and then refuses all writes, so a later write succeeding shows it stayed closed.
        collider.ExpectMsg<WriteMessagesFailed>(Wait);
        foreach (var id in ids)
        {
            writers[id].ExpectMsg<WriteMessagesSuccessful>(Wait);
            Assert.Equal(id, writers[id].ExpectMsg<WriteMessageSuccess>(Wait).Persistent.PersistenceId);
        }

        Assert.Equal(30, _database.CountJournal("SELECT COUNT(*) FROM journal WHERE persistence_id LIKE 'beside-%'"));
        Write("after", 1);
    }

    private void Write(string id, long count)
    {
        _journal.Tell(WriteMessages(id, count, TestActor));
        ExpectMsg<WriteMessagesSuccessful>(Wait);
        for (var i = 0; i < count; i++) ExpectMsg<WriteMessageSuccess>(Wait);
    }

    private static WriteMessages WriteMessages(string id, long count, IActorRef writer) =>
        new(Enumerable.Range(1, (int)count)
                .Select(sequenceNr => new AtomicWrite(new Persistent($"event {sequenceNr}", sequenceNr, id, writerGuid: "spec")))
                .ToArray<IPersistentEnvelope>(),
            writer,
            actorInstanceId: 1);

    /// <summary>An event whose serialization throws (its only property does).</summary>
    private sealed class Unserializable
    {
        public string Value => throw new InvalidOperationException("not serializable");
    }

    /// <inheritdoc />
    public new void Dispose()
    {
        base.Dispose();
        _database.Dispose();
    }
}
