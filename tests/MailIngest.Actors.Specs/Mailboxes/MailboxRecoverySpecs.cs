using Akka.Actor;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Mailboxes;

/// <summary>A mailbox outlives its actor system: recovery from the journal, and from a snapshot plus the journal.</summary>
public sealed class MailboxRecoverySpecs : ClusterSpec
{
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(10);

    /// <summary>Creates the spec on a fresh SQLite file.</summary>
    public MailboxRecoverySpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private MailboxRecoverySpecs(SpecDatabase database, ITestOutputHelper output)
        : base(database, database.JournalConnectionString, output)
    {
    }

    [Fact]
    public async Task Mailbox_recovers_its_entries_from_the_journal_in_a_new_actor_system()
    {
        // Arrange
        var stored = Enumerable.Range(1, 3).Select(Entries.Numbered).ToArray();
        foreach (var entry in stored)
            await Region.Ask<StoreMessageAck>(new StoreMessage("alice@example.org", entry), AskTimeout);
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(20));

        // Act
        var (node, region) = await MailboxCluster.StartNodeAsync(Database.JournalConnectionString);
        try
        {
            var list = await region.Ask<MessageList>(new ListMessages("alice@example.org", 0, 10), AskTimeout);
            var retry = await region.Ask<StoreMessageAck>(new StoreMessage("alice@example.org", stored[0] with { Id = "RETRY" }), AskTimeout);

            // Assert: entries are equal field by field, and the dedup index was rebuilt too.
            Assert.Equal(3, list.Total);
            Assert.Equal(stored.Reverse(), list.Items);
            Assert.True(retry.Duplicate);
            Assert.Equal(stored[0].Id, retry.Id);
        }
        finally
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Mailbox_snapshots_every_hundred_events_and_recovers_from_snapshot_plus_journal()
    {
        // Arrange
        const int count = MailboxActor.SnapshotEvery + 30;
        var stored = Enumerable.Range(1, count).Select(Entries.Numbered).ToArray();
        foreach (var entry in stored)
            await Region.Ask<StoreMessageAck>(new StoreMessage("bob@example.org", entry), AskTimeout);

        // The snapshot is saved after the 100th ack, asynchronously: wait for its row.
        await AwaitConditionAsync(
            () => Task.FromResult(Database.CountJournal("SELECT count(*) FROM snapshot WHERE persistence_id = 'mailbox-bob@example.org'") > 0),
            SnapshotWait);
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(20));

        // Act
        var (node, region) = await MailboxCluster.StartNodeAsync(Database.JournalConnectionString);
        try
        {
            var list = await region.Ask<MessageList>(new ListMessages("bob@example.org", 0, count + 10), AskTimeout);

            // Assert
            Assert.Equal(MailboxActor.SnapshotEvery, Database.CountJournal(
                "SELECT max(sequence_number) FROM snapshot WHERE persistence_id = 'mailbox-bob@example.org'"));
            Assert.Equal(["mbx.snapshot.v1"], Database.JournalStrings(
                "SELECT manifest FROM snapshot WHERE persistence_id = 'mailbox-bob@example.org'"));
            Assert.Equal(count, list.Total);
            Assert.Equal(stored.Reverse(), list.Items);
        }
        finally
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
