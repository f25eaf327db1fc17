using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Mailboxes;

/// <summary>
/// A mailbox under a quota tells every node when it fills up and when it has room again; by octets, after its oldest
/// messages were deleted (whose sizes it does not keep), it counts them again from the journal instead of calling
/// itself full on a figure that is too high.
/// </summary>
public sealed class MailboxQuotaSpecs : OneNodeClusterTestKit
{
    private const string Box = "quota@example.org";
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Creates the spec on a fresh SQLite file.</summary>
    public MailboxQuotaSpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private MailboxQuotaSpecs(SpecDatabase database, ITestOutputHelper output)
        : base(database, database.JournalConnectionString, output)
    {
    }

    /// <summary>Three messages of 101–103 octets reach 300; a fourth message would be past the count of 4.</summary>
    protected override MailboxQuota Quota => new(MaxMessages: 4, MaxBytes: 300);

    [Fact]
    public async Task A_mailbox_says_when_it_is_full_by_octets_and_recounts_after_its_oldest_messages_expire()
    {
        // Arrange
        await SubscribeAsync();

        // Act: 101 + 102 octets, then 103 more.
        for (var n = 1; n <= 2; n++) await StoreAsync(n);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        await StoreAsync(3);

        // Assert
        Assert.Equal(new MailboxQuotaChanged(Box, Full: true), ExpectMsg<MailboxQuotaChanged>());

        // Act: the two oldest expire; the mailbox does not keep their sizes, so only a recount (103) says it has room.
        var expired = await Region.Ask<MessagesDeleted>(new ExpireMessages(Box, Epoch.AddSeconds(2.5)), AskTimeout);

        // Assert
        Assert.Equal(2, expired.Removed);
        Assert.Equal(new MailboxQuotaChanged(Box, Full: false), ExpectMsg<MailboxQuotaChanged>());
    }

    [Fact]
    public async Task A_mailbox_says_when_it_is_full_by_count_and_has_room_again_after_a_deletion()
    {
        // Arrange
        await SubscribeAsync();
        var box = "count@example.org";

        // Act: four messages of other sizes (the octets stay under 300 with 1-octet bodies).
        for (var n = 1; n <= 4; n++)
            await Region.Ask<StoreMessageAck>(new StoreMessage(box, Copy(n) with { Size = 1 }), AskTimeout);

        // Assert
        Assert.Equal(new MailboxQuotaChanged(box, Full: true), ExpectMsg<MailboxQuotaChanged>());
        var deleted = await Region.Ask<MessagesDeleted>(new DeleteMessage(box, Copy(2).Id), AskTimeout);
        Assert.Equal(1, deleted.Removed);
        Assert.Equal(new MailboxQuotaChanged(box, Full: false), ExpectMsg<MailboxQuotaChanged>());
    }

    private async Task SubscribeAsync()
    {
        DistributedPubSub.Get(Sys).Mediator.Tell(new Subscribe(QuotaBoard.Topic, TestActor));
        await ExpectMsgAsync<SubscribeAck>();
    }

    private Task<StoreMessageAck> StoreAsync(int n) => Region.Ask<StoreMessageAck>(new StoreMessage(Box, Copy(n)), AskTimeout);

    /// <summary>Entry n with a queue id that starts with its acceptance time, as real ones do (retention searches by it).</summary>
    private static MessageCopy Copy(int n) =>
        Entries.Numbered(n) with { Id = $"{Epoch.AddSeconds(n).ToUnixTimeMilliseconds():X12}{n:X12}" };
}
