using Akka.Actor;
using Akka.Persistence;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Persistence;

/// <summary>
/// The node's journal answers every recovery's "highest sequence number" from batched statements on a real SQLite
/// file: each id gets its own number however many ask at once, deleted events still count, and a recovery sees
/// its id's write that was still in flight when it asked.
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

    /// <inheritdoc />
    public new void Dispose()
    {
        base.Dispose();
        _database.Dispose();
    }
}
