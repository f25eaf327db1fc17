using Akka.Actor;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Mailboxes;

/// <summary>The mailbox entity behind real sharding and a real SQLite journal.</summary>
public sealed class MailboxSpecs : OneNodeClusterTestKit
{
    /// <summary>Creates the spec on a fresh SQLite file.</summary>
    public MailboxSpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private MailboxSpecs(SpecDatabase database, ITestOutputHelper output)
        : base(database, database.JournalConnectionString, output)
    {
    }

    [Fact]
    public async Task Mailbox_acknowledges_a_new_message_and_then_lists_it()
    {
        // Arrange
        var entry = Entries.Numbered(1);

        // Act
        var ack = await Region.Ask<StoreMessageAck>(new StoreMessage("alice@example.org", entry), AskTimeout);
        var list = await Region.Ask<MessageList>(new ListMessages("alice@example.org", 0, 10), AskTimeout);

        // Assert
        Assert.Equal(new StoreMessageAck("alice@example.org", entry.Id, Duplicate: false), ack);
        Assert.Equal(1, list.Total);
        Assert.Equal(StoredMessageV1.Of(entry), Assert.Single(list.Items));
    }

    [Fact]
    public async Task Mailbox_event_row_is_in_the_journal_file_when_the_ack_arrives()
    {
        // Arrange
        var entry = Entries.Numbered(7);

        // Act
        await Region.Ask<StoreMessageAck>(new StoreMessage("alice@example.org", entry), AskTimeout);

        // Assert: the row is in the file by then (the strict check, with a failing write, is in SessionDeferralSpecs).
        Assert.Equal(1, Database.CountJournal("SELECT count(*) FROM journal WHERE persistence_id = 'mailbox-alice@example.org'"));
    }

    [Fact]
    public void A_mailbox_told_to_stop_with_writes_in_flight_answers_them_before_it_stops()
    {
        // Arrange: the entity on its own, sent what its shard sends it on a hand-off or an idle passivation.
        var mailbox = Sys.ActorOf(MailboxActor.Props("dave@example.org", ContentStore, MailboxQuota.None));
        Watch(mailbox);
        var entries = Enumerable.Range(1, 5).Select(Entries.Numbered).ToArray();

        // Act: the stop arrives while the copies are still being written (the entity is not even recovered yet).
        foreach (var entry in entries) mailbox.Tell(new StoreMessage("dave@example.org", entry), TestActor);
        mailbox.Tell(StopMailbox.Instance);

        // Assert: every sender has its answer, and only then the entity is gone.
        var acks = entries.Select(_ => ExpectMsg<StoreMessageAck>(AskTimeout)).ToArray();
        ExpectTerminated(mailbox, AskTimeout);
        Assert.Equal(entries.Select(entry => entry.Id), acks.Select(ack => ack.Id));
        Assert.Equal(5, Database.CountJournal("SELECT count(*) FROM journal WHERE persistence_id = 'mailbox-dave@example.org'"));
    }

    [Fact]
    public async Task Mailbox_lists_newest_first_in_pages_with_the_total()
    {
        // Arrange
        for (var n = 1; n <= 5; n++)
            await Region.Ask<StoreMessageAck>(new StoreMessage("bob@example.org", Entries.Numbered(n)), AskTimeout);

        // Act
        var first = await Region.Ask<MessageList>(new ListMessages("bob@example.org", 0, 2), AskTimeout);
        var second = await Region.Ask<MessageList>(new ListMessages("bob@example.org", 2, 2), AskTimeout);
        var last = await Region.Ask<MessageList>(new ListMessages("bob@example.org", 4, 2), AskTimeout);
        var beyond = await Region.Ask<MessageList>(new ListMessages("bob@example.org", 5, 2), AskTimeout);

        // Assert
        Assert.All(new[] { first, second, last, beyond }, page => Assert.Equal(5, page.Total));
        Assert.Equal(["Q000005", "Q000004"], first.Items.Select(entry => entry.Id));
        Assert.Equal(["Q000003", "Q000002"], second.Items.Select(entry => entry.Id));
        Assert.Equal(["Q000001"], last.Items.Select(entry => entry.Id));
        Assert.Empty(beyond.Items);
    }

    [Fact]
    public async Task Mailbox_acknowledges_a_retry_with_the_same_dedup_key_as_duplicate_without_storing_it()
    {
        // Arrange
        var original = Entries.Numbered(1);
        var retry = original with { Id = "RETRY" };
        await Region.Ask<StoreMessageAck>(new StoreMessage("carol@example.org", original), AskTimeout);

        // Act
        var ack = await Region.Ask<StoreMessageAck>(new StoreMessage("carol@example.org", retry), AskTimeout);
        var list = await Region.Ask<MessageList>(new ListMessages("carol@example.org", 0, 10), AskTimeout);

        // Assert: acknowledged with the id of the copy already stored, and no second event.
        Assert.Equal(new StoreMessageAck("carol@example.org", original.Id, Duplicate: true), ack);
        Assert.Equal(1, list.Total);
        Assert.Equal(1, Database.CountJournal("SELECT count(*) FROM journal WHERE persistence_id = 'mailbox-carol@example.org'"));
    }

    [Fact]
    public async Task Mailbox_answers_a_retry_racing_its_original_once_the_original_is_durable()
    {
        // Arrange: the retry arrives while the original's event is still being written.
        var original = Entries.Numbered(1);
        var retry = original with { Id = "RETRY" };

        // Act
        var first = Region.Ask<StoreMessageAck>(new StoreMessage("grace@example.org", original), AskTimeout);
        var second = Region.Ask<StoreMessageAck>(new StoreMessage("grace@example.org", retry), AskTimeout);
        var acks = await Task.WhenAll(first, second);
        var list = await Region.Ask<MessageList>(new ListMessages("grace@example.org", 0, 10), AskTimeout);

        // Assert: both hear back, both name the stored copy, and there is one event.
        Assert.Equal(new StoreMessageAck("grace@example.org", original.Id, Duplicate: false), acks[0]);
        Assert.Equal(new StoreMessageAck("grace@example.org", original.Id, Duplicate: true), acks[1]);
        Assert.Equal(1, list.Total);
        Assert.Equal(1, Database.CountJournal("SELECT count(*) FROM journal WHERE persistence_id = 'mailbox-grace@example.org'"));
    }

    [Fact]
    public async Task Mailbox_stores_both_of_two_acknowledged_identical_messages_without_Message_ID()
    {
        // Arrange: an alert sent twice, the same sender and content, no Message-ID; the first was acknowledged.
        await Region.Ask<StoreMessageAck>(new StoreMessage("ivan@example.org", Entries.WithoutMessageId("T1")), AskTimeout);

        // Act
        var second = await Region.Ask<StoreMessageAck>(new StoreMessage("ivan@example.org", Entries.WithoutMessageId("T2")), AskTimeout);
        var list = await Region.Ask<MessageList>(new ListMessages("ivan@example.org", 0, 10), AskTimeout);

        // Assert: two acknowledged messages are two messages.
        Assert.Equal(new StoreMessageAck("ivan@example.org", "T2", Duplicate: false), second);
        Assert.Equal(["T2", "T1"], list.Items.Select(item => item.Id));
    }

    [Fact]
    public async Task Mailbox_absorbs_the_retry_of_a_deferred_copy_once_and_stores_the_next_identical_message()
    {
        // Arrange: T1's copy was stored, then T1 answered 451 (another recipient failed).
        await Region.Ask<StoreMessageAck>(new StoreMessage("judy@example.org", Entries.WithoutMessageId("T1")), AskTimeout);
        Region.Tell(new DeferTransaction("judy@example.org", "T1"));
        await AwaitRetryRowsAsync("judy@example.org", 1);

        // Act: T2 is the client's retry (acknowledged), T2 is sent again by delivery, T3 is a new identical alert.
        var retry = await Region.Ask<StoreMessageAck>(new StoreMessage("judy@example.org", Entries.WithoutMessageId("T2")), AskTimeout);
        var resend = await Region.Ask<StoreMessageAck>(new StoreMessage("judy@example.org", Entries.WithoutMessageId("T2")), AskTimeout);
        var next = await Region.Ask<StoreMessageAck>(new StoreMessage("judy@example.org", Entries.WithoutMessageId("T3")), AskTimeout);
        var list = await Region.Ask<MessageList>(new ListMessages("judy@example.org", 0, 10), AskTimeout);

        // Assert
        Assert.Equal(new StoreMessageAck("judy@example.org", "T1", Duplicate: true), retry);
        Assert.Equal(new StoreMessageAck("judy@example.org", "T1", Duplicate: true), resend);
        Assert.Equal(new StoreMessageAck("judy@example.org", "T3", Duplicate: false), next);
        Assert.Equal(["T3", "T1"], list.Items.Select(item => item.Id));
    }

    [Fact]
    public async Task Mailbox_acknowledges_a_resend_of_the_same_copy_without_a_second_event()
    {
        // Arrange: delivery sends the same copy again when an ack is slow.
        var copy = Entries.WithoutMessageId("T1");
        await Region.Ask<StoreMessageAck>(new StoreMessage("kim@example.org", copy), AskTimeout);

        // Act
        var resend = await Region.Ask<StoreMessageAck>(new StoreMessage("kim@example.org", copy), AskTimeout);

        // Assert
        Assert.Equal(new StoreMessageAck("kim@example.org", "T1", Duplicate: true), resend);
        Assert.Equal(1, Database.CountJournal("SELECT count(*) FROM journal WHERE persistence_id = 'mailbox-kim@example.org'"));
    }

    [Fact]
    public async Task Mailboxes_of_different_recipients_are_separate()
    {
        // Arrange
        await Region.Ask<StoreMessageAck>(new StoreMessage("dave@example.org", Entries.Numbered(1)), AskTimeout);

        // Act
        var other = await Region.Ask<MessageList>(new ListMessages("erin@example.org", 0, 10), AskTimeout);

        // Assert
        Assert.Equal(0, other.Total);
        Assert.Empty(other.Items);
    }

    [Fact]
    public async Task Reading_a_never_seen_mailbox_writes_nothing_and_leaves_no_entity_running()
    {
        // Act
        var list = await Region.Ask<MessageList>(new ListMessages("never@example.org", 0, 10), AskTimeout);
        var lookup = await Region.Ask<MessageLookup>(new GetMessage("never@example.org", "Q1"), AskTimeout);

        // Assert: nothing in the journal, and the entity stopped once it had answered.
        Assert.Equal(0, list.Total);
        Assert.Null(lookup.Message);
        Assert.Equal(0, Database.CountJournal("SELECT count(*) FROM journal WHERE persistence_id = 'mailbox-never@example.org'"));
        await AwaitConditionAsync(async () => !(await LiveEntitiesAsync()).Contains("never@example.org"), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_mailbox_written_once_stops_after_a_short_silence_and_one_written_twice_stays()
    {
        // Arrange: the region's idle passivation is two minutes; a write-once mailbox stops after 15 s.
        await Region.Ask<StoreMessageAck>(new StoreMessage("once@example.org", Entries.Numbered(1)), AskTimeout);
        await Region.Ask<StoreMessageAck>(new StoreMessage("twice@example.org", Entries.Numbered(2)), AskTimeout);
        await Region.Ask<StoreMessageAck>(new StoreMessage("twice@example.org", Entries.Numbered(3)), AskTimeout);

        // Act
        await AwaitConditionAsync(async () => !(await LiveEntitiesAsync()).Contains("once@example.org"), TimeSpan.FromSeconds(60));

        // Assert: the other one is still running, and the stopped one starts again with its message.
        Assert.Contains("twice@example.org", await LiveEntitiesAsync());
        var list = await Region.Ask<MessageList>(new ListMessages("once@example.org", 0, 10), AskTimeout);
        Assert.Equal(1, list.Total);
    }

    private async Task<string[]> LiveEntitiesAsync()
    {
        var state = await Region.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance, AskTimeout);
        return state.Shards.SelectMany(shard => shard.EntityIds).ToArray();
    }

    [Fact]
    public async Task Mailbox_finds_a_message_by_id_and_answers_null_for_an_unknown_id()
    {
        // Arrange
        var entry = Entries.Numbered(3);
        await Region.Ask<StoreMessageAck>(new StoreMessage("frank@example.org", entry), AskTimeout);

        // Act
        var found = await Region.Ask<MessageLookup>(new GetMessage("frank@example.org", entry.Id), AskTimeout);
        var missing = await Region.Ask<MessageLookup>(new GetMessage("frank@example.org", "NOPE"), AskTimeout);

        // Assert
        Assert.Equal(StoredMessageV1.Of(entry), found.Message);
        Assert.Null(missing.Message);
    }

    [Fact]
    public async Task Journal_rows_carry_the_short_manifest_rather_than_a_CLR_type_name()
    {
        // Arrange
        await Region.Ask<StoreMessageAck>(new StoreMessage("grace@example.org", Entries.Numbered(1)), AskTimeout);
        await Region.Ask<StoreMessageAck>(new StoreMessage("grace@example.org", Entries.Numbered(2)), AskTimeout);

        // Act
        var manifests = Database.JournalStrings(
            "SELECT manifest FROM journal WHERE persistence_id = 'mailbox-grace@example.org' ORDER BY sequence_number");
        var serializerIds = Database.CountJournal(
            "SELECT count(*) FROM journal WHERE persistence_id = 'mailbox-grace@example.org' AND identifier = 4711");

        // Assert: a renamed CLR type must not break recovery of events already stored.
        Assert.Equal(["mbx.stored.v1", "mbx.stored.v1"], manifests);
        Assert.Equal(2, serializerIds);
    }

    private Task AwaitRetryRowsAsync(string mailbox, int rows) => AwaitConditionAsync(
        () => Task.FromResult(Database.CountJournal($"SELECT count(*) FROM journal WHERE persistence_id = 'retries-{mailbox}'") >= rows),
        TimeSpan.FromSeconds(20));
}
