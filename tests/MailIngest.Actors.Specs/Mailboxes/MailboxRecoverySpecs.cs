using Akka.Actor;
using MailIngest.Actors.Delivery;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using MailIngest.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Mailboxes;

/// <summary>
/// A mailbox outlives its actor system: recovery from the journal, and from a bounded snapshot plus the journal,
/// with older messages paged from the journal.
/// </summary>
public sealed class MailboxRecoverySpecs : OneNodeClusterTestKit
{
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ITestOutputHelper _output;

    /// <summary>Creates the spec on a fresh SQLite file.</summary>
    public MailboxRecoverySpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private MailboxRecoverySpecs(SpecDatabase database, ITestOutputHelper output)
        : base(database, database.JournalConnectionString, output)
    {
        _output = output;
    }

    [Fact]
    public async Task A_node_whose_journal_starts_slowly_serves_mailboxes_once_the_database_answers()
    {
        // Arrange: a new journal file that another connection holds locked, so the journal cannot create its tables
        // for longer than the read journal waits for it (5 s), while the first mailbox starts.
        using var slow = new SpecDatabase();
        using var holder = new SqliteConnection(slow.JournalConnectionString);
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        var (node, region) = await MailboxCluster.StartNodeAsync(slow.JournalConnectionString, ContentStore);
        try
        {
            var first = region.Ask<StoreMessageAck>(new StoreMessage("alice@example.org", Entries.Numbered(1)), TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(7));
            holder.Dispose();

            // Act: whatever became of the first store (answered late, or lost to a 451 and retried), a store after
            // the database answers is acknowledged and read back.
            var later = await Eventually.ValueAsync("a store acknowledged after the lock is released",
                async () => await TryStoreAsync(region, Entries.Numbered(2)), ack => ack is not null, TimeSpan.FromSeconds(60),
                _ => "the last store was not acknowledged within 5 s");
            var list = await region.Ask<MessageList>(new ListMessages("alice@example.org", 0, 10), AskTimeout);

            // Assert
            _output.WriteLine($"first store: {(first.IsCompletedSuccessfully ? "acknowledged" : first.Status.ToString())}");
            Assert.Equal(new StoreMessageAck("alice@example.org", Entries.Numbered(2).Id, Duplicate: false), later);
            Assert.Contains(Entries.Stored(2), list.Items);
        }
        finally
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    private static async Task<StoreMessageAck?> TryStoreAsync(IActorRef region, MessageCopy copy)
    {
        try
        {
            return await region.Ask<StoreMessageAck>(new StoreMessage("alice@example.org", copy), TimeSpan.FromSeconds(5));
        }
        catch (AskTimeoutException)
        {
            return null;
        }
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
        var (node, region) = await MailboxCluster.StartNodeAsync(Database.JournalConnectionString, ContentStore);
        try
        {
            var list = await region.Ask<MessageList>(new ListMessages("alice@example.org", 0, 10), AskTimeout);
            var retry = await region.Ask<StoreMessageAck>(new StoreMessage("alice@example.org", stored[0] with { Id = "RETRY" }), AskTimeout);

            // Assert: entries are equal field by field, and the dedup index was rebuilt too.
            Assert.Equal(3, list.Total);
            Assert.Equal(stored.Reverse().Select(StoredMessageV1.Of), list.Items);
            Assert.True(retry.Duplicate);
            Assert.Equal(stored[0].Id, retry.Id);
        }
        finally
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Mailbox_recognises_the_retry_of_a_deferred_copy_in_a_new_actor_system_and_nothing_else()
    {
        // Arrange: T1 stored and then deferred, T2 an acknowledged identical message stored in another mailbox.
        await Region.Ask<StoreMessageAck>(new StoreMessage("liam@example.org", Entries.WithoutMessageId("T1")), AskTimeout);
        await Region.Ask<StoreMessageAck>(new StoreMessage("mia@example.org", Entries.WithoutMessageId("T2")), AskTimeout);
        Region.Tell(new DeferTransaction("liam@example.org", "T1"));
        await AwaitConditionAsync(() => Task.FromResult(Database.CountJournal(
            "SELECT count(*) FROM journal WHERE persistence_id = 'retries-liam@example.org'") == 1), SnapshotWait);
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(20));

        // Act: the same content again in both mailboxes, after the restart.
        var (node, region) = await MailboxCluster.StartNodeAsync(Database.JournalConnectionString, ContentStore);
        try
        {
            var retry = await region.Ask<StoreMessageAck>(new StoreMessage("liam@example.org", Entries.WithoutMessageId("T3")), AskTimeout);
            var another = await region.Ask<StoreMessageAck>(new StoreMessage("mia@example.org", Entries.WithoutMessageId("T3")), AskTimeout);

            // Assert: the deferred copy absorbed its retry; the acknowledged one did not absorb a new message.
            Assert.Equal(new StoreMessageAck("liam@example.org", "T1", Duplicate: true), retry);
            Assert.Equal(new StoreMessageAck("mia@example.org", "T3", Duplicate: false), another);
        }
        finally
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task Mailbox_snapshot_stays_the_same_size_as_the_mailbox_grows_and_recovery_pages_from_the_journal()
    {
        // Arrange: ids are real queue ids (time-ordered), so a message older than the window can be found by id.
        const string persistenceId = "mailbox-bob@example.org";
        const int count = 3 * MailboxActor.SnapshotEvery + 30;
        var copies = Enumerable.Range(1, count)
            .Select(n => Entries.Numbered(n) with { Id = QueueId.New(Epoch.AddMilliseconds(n)) })
            .ToArray();

        // Act: sent without waiting for each ack, in order (one sender, so the mailbox sees them in this order).
        var sizes = new List<long>();
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(copies.Skip(round * MailboxActor.SnapshotEvery).Take(MailboxActor.SnapshotEvery)
                .Select(copy => Region.Ask<StoreMessageAck>(new StoreMessage("bob@example.org", copy), AskTimeout)));
            var sequenceNr = (round + 1) * MailboxActor.SnapshotEvery;
            await AwaitConditionAsync(() => Task.FromResult(Database.CountJournal(
                $"SELECT count(*) FROM snapshot WHERE persistence_id = '{persistenceId}' AND sequence_number = {sequenceNr}") == 1), SnapshotWait);
            sizes.Add(Database.CountJournal(
                $"SELECT length(snapshot) FROM snapshot WHERE persistence_id = '{persistenceId}' AND sequence_number = {sequenceNr}"));
        }

        await Task.WhenAll(copies.Skip(3 * MailboxActor.SnapshotEvery)
            .Select(copy => Region.Ask<StoreMessageAck>(new StoreMessage("bob@example.org", copy), AskTimeout)));
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        var (node, region) = await MailboxCluster.StartNodeAsync(Database.JournalConnectionString, ContentStore);
        try
        {
            var first = await region.Ask<MessageList>(new ListMessages("bob@example.org", 0, 10), AskTimeout);
            var middle = await region.Ask<MessageList>(new ListMessages("bob@example.org", count / 2, 10), AskTimeout);
            var last = await region.Ask<MessageList>(new ListMessages("bob@example.org", count - 5, 10), AskTimeout);
            var oldest = await region.Ask<MessageLookup>(new GetMessage("bob@example.org", copies[0].Id), AskTimeout);
            var unknown = await region.Ask<MessageLookup>(new GetMessage("bob@example.org", QueueId.New(Epoch.AddMilliseconds(17))), AskTimeout);
            var retryOfRecent = await region.Ask<StoreMessageAck>(new StoreMessage("bob@example.org", copies[^1] with { Id = "RETRY" }), AskTimeout);

            // Assert: the window is full from the second snapshot on, and then the size no longer grows.
            _output.WriteLine($"snapshot bytes after {string.Join(", ", sizes.Select((size, i) => $"{(i + 1) * MailboxActor.SnapshotEvery}: {size}"))}");
            Assert.Equal(["mbx.snapshot.v4"], Database.JournalStrings($"SELECT manifest FROM snapshot WHERE persistence_id = '{persistenceId}'"));
            Assert.InRange(sizes[2], sizes[1] * 0.98, sizes[1] * 1.02);
            Assert.All(new[] { first, middle, last }, page => Assert.Equal(count, page.Total));
            Assert.Equal(copies.Reverse().Take(10).Select(StoredMessageV1.Of), first.Items);
            Assert.Equal(copies.Reverse().Skip(count / 2).Take(10).Select(StoredMessageV1.Of), middle.Items);
            Assert.Equal(copies.Take(5).Reverse().Select(StoredMessageV1.Of), last.Items);
            Assert.Equal(StoredMessageV1.Of(copies[0]), oldest.Message);
            Assert.Null(unknown.Message);
            Assert.True(retryOfRecent.Duplicate);
        }
        finally
        {
            await node.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }
    }
}
