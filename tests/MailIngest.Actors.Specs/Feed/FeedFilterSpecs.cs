using Akka.Persistence.Query;
using MailIngest.Actors.Feed;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using MailIngest.Actors.Webhooks;

namespace MailIngest.Actors.Specs.Feed;

/// <summary>Which journal events become feed items, and what an item holds.</summary>
public sealed class FeedFilterSpecs
{
    private static EventEnvelope Stored(long cursor, string mailbox) =>
        new(Offset.Sequence(cursor), MailboxActor.PersistenceIdPrefix + mailbox, 1, new MessageStoredV1(Entries.Stored((int)cursor)), 0, []);

    [Fact]
    public void A_stored_message_becomes_an_item_with_its_cursor_mailbox_envelope_and_raw_path()
    {
        var item = FeedFilter.All.Select(Stored(42, "alice@example.org"));

        Assert.NotNull(item);
        Assert.Equal(42, item.Cursor);
        Assert.Equal("alice@example.org", item.Mailbox);
        Assert.Equal(new FeedEnvelope("a@example.org", "alice@example.org"), item.Envelope);
        Assert.Equal($"/api/mailboxes/alice%40example.org/messages/{item.Id}/raw", item.RawPath);
    }

    [Fact]
    public void Events_that_are_not_stored_messages_are_never_items()
    {
        Assert.Null(FeedFilter.All.Select(new EventEnvelope(Offset.Sequence(1), "webhook-crm", 1, new WebhookPositionV1(7), 0, [])));
        Assert.Null(FeedFilter.All.Select(new EventEnvelope(Offset.Sequence(2), "not-a-mailbox", 1, new MessageStoredV1(Entries.Stored(1)), 0, [])));
    }

    [Fact]
    public void Domain_filters_match_the_recipient_domain_in_any_case()
    {
        var filter = FeedFilter.Of([" Example.ORG ", "b.test"], null);

        Assert.NotNull(filter.Select(Stored(1, "alice@example.org")));
        Assert.NotNull(filter.Select(Stored(2, "bob@b.test")));
        Assert.Null(filter.Select(Stored(3, "carol@sub.example.org")));
        Assert.Null(filter.Select(Stored(4, "dave@example.org.evil")));
    }

    [Fact]
    public void A_mailbox_filter_matches_only_that_mailbox()
    {
        var filter = FeedFilter.Of([], "alice@example.org");

        Assert.NotNull(filter.Select(Stored(1, "alice@example.org")));
        Assert.Null(filter.Select(Stored(2, "alice2@example.org")));
    }

    [Theory]
    [InlineData("Return-Path: <sender@example.org>\r\nReceived: from x\r\n", "sender@example.org")]
    [InlineData("Return-Path: <>\r\nReceived: from x\r\n", "")]
    [InlineData("Received: from x\r\n", "")]
    [InlineData("Return-Path: <unterminated\r\n", "")]
    public void The_reverse_path_comes_from_the_stored_Return_Path(string trace, string expected) =>
        Assert.Equal(expected, FeedEnvelope.ReversePathOf(trace));
}
