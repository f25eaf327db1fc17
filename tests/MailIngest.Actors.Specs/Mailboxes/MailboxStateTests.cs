using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;

namespace MailIngest.Actors.Specs.Mailboxes;

/// <summary>
/// Deleting messages (the oldest ones, or one by one): positions stay sequence numbers, pages skip what is deleted and
/// stop at the emptying, dedup marks stay.
/// </summary>
public sealed class MailboxStateTests
{
    private static MailboxState WithMessages(int count)
    {
        var state = new MailboxState();
        for (var n = 1; n <= count; n++) state.Apply(new MessageStoredV1(Entries.Stored(n)), n);
        return state;
    }

    [Fact]
    public void Emptying_deletes_every_message_so_far_and_later_messages_page_from_after_it()
    {
        // Arrange
        var state = WithMessages(5);

        // Act
        var removed = state.DeleteThrough(state.Count);
        var emptyPage = state.Page(0, 50);
        state.Apply(new MessageStoredV1(Entries.Stored(6)), 6);
        state.Apply(new MessageStoredV1(Entries.Stored(7)), 7);

        // Assert
        Assert.Equal(5, removed);
        Assert.True(emptyPage.From > emptyPage.To, $"page {emptyPage} of an emptied mailbox");
        Assert.Equal(2, state.Total);
        Assert.Equal(7, state.Count);
        Assert.Equal((6L, 7L), state.Page(0, 50));
        Assert.Equal((6L, 6L), state.Page(1, 50));
        Assert.True(state.Page(2, 50) is var (from, to) && from > to);
        Assert.True(state.IsDeleted(5));
        Assert.False(state.IsDeleted(6));
    }

    [Fact]
    public void Deleting_the_oldest_messages_keeps_the_newer_ones_listed_and_never_goes_back()
    {
        // Arrange
        var state = WithMessages(10);

        // Act
        var removed = state.DeleteThrough(4);
        var again = state.DeleteThrough(3);
        var beyond = state.DeleteThrough(99);

        // Assert: retention deletes a prefix; an older cut-off changes nothing, one past the newest stops at it.
        Assert.Equal((4L, 0L, 6L), (removed, again, beyond));
        Assert.Equal(10, state.DeletedThrough);

        var partial = WithMessages(10);
        partial.DeleteThrough(4);
        Assert.Equal(6, partial.Total);
        Assert.Equal((5L, 10L), partial.Page(0, 50));
        Assert.Equal((5L, 6L), partial.Page(4, 50));
    }

    [Fact]
    public void Marks_of_deleted_messages_stay_so_a_retry_of_one_is_still_recognised()
    {
        // Arrange
        var state = WithMessages(3);
        var first = Entries.Stored(1);

        // Act
        state.DeleteThrough(state.Count);

        // Assert
        Assert.Equal(1, state.FindDuplicate(first.DedupKey)?.SequenceNr);
        Assert.Equal(1, state.FindRecent(first.Id)?.SequenceNr);
        Assert.Equal(0, state.DeleteThrough(state.Count));
    }

    [Fact]
    public void The_snapshot_carries_the_emptying_through_a_restore()
    {
        // Arrange
        var state = WithMessages(4);
        state.DeleteThrough(state.Count);
        state.Apply(new MessageStoredV1(Entries.Stored(5)), 5);

        // Act
        var restored = new MailboxState();
        restored.Restore(state.ToSnapshot());

        // Assert
        Assert.Equal((5L, 4L, 1L), (restored.Count, restored.DeletedThrough, restored.Total));
        Assert.Equal((5L, 5L), restored.Page(0, 10));
    }

    [Fact]
    public void A_message_deleted_alone_leaves_a_gap_that_pages_step_over_and_the_total_drops()
    {
        // Arrange
        var state = WithMessages(6);

        // Act
        var deleted = state.DeleteOne(4, 100);
        var again = state.DeleteOne(4, 100);

        // Assert: live messages 6, 5, 3, 2, 1 (newest first); a page of two from offset 1 is 5 and 3.
        Assert.True(deleted);
        Assert.False(again);
        Assert.Equal(5, state.Total);
        Assert.True(state.IsDeleted(4));
        Assert.Equal((3L, 5L), state.Page(1, 2));
        Assert.Equal(new HashSet<long> { 4 }, state.DeletedBetween(3, 5));
        Assert.Equal((2L, 3L), state.Page(2, 2));
        Assert.Equal((1L, 1L), state.Page(4, 2));
        Assert.True(state.Page(5, 2) is var (from, to) && from > to);
    }

    [Fact]
    public void Messages_deleted_alone_join_the_deleted_oldest_ones_and_are_not_counted_twice_by_an_emptying()
    {
        // Arrange
        var state = WithMessages(6);
        state.DeleteOne(2, 100);
        state.DeleteOne(5, 100);

        // Act
        var oldest = state.DeleteOne(1, 100);
        var removed = state.DeleteThrough(5);

        // Assert: 1 and 2 joined the deleted oldest at once; the emptying through 5 then removed only 3 and 4.
        Assert.True(oldest);
        Assert.Equal(2, removed);
        Assert.Equal(5, state.DeletedThrough);
        Assert.Equal(1, state.Total);
        Assert.Empty(state.ToSnapshot().Deleted);
        Assert.False(state.DeleteOne(7, 100));
        Assert.False(state.DeleteOne(3, 100));
    }

    [Fact]
    public void The_snapshot_carries_messages_deleted_alone_through_a_restore()
    {
        // Arrange
        var state = WithMessages(5);
        state.DeleteOne(3, 100);

        // Act
        var restored = new MailboxState();
        restored.Restore(state.ToSnapshot());

        // Assert
        Assert.Equal((5L, 0L, 4L), (restored.Count, restored.DeletedThrough, restored.Total));
        Assert.True(restored.IsDeleted(3));
        Assert.Equal((2L, 4L), restored.Page(1, 2));
    }

    [Fact]
    public void A_recorded_deletion_takes_a_sequence_number_that_pages_step_over_and_later_mail_follows_it()
    {
        // Arrange
        var state = WithMessages(4);

        // Act: message 2 deleted alone (recorded at 5), then everything through 3 (recorded at 6), then a new message at 7.
        var one = state.Apply(new MessagesDeletedV1(0, 2), 5, size: 102);
        var oldest = state.Apply(new MessagesDeletedV1(3, 0), 6);
        state.Apply(new MessageStoredV1(Entries.Stored(7)), 7);

        // Assert: 1 and 3 went with the second record (2 was gone already); 4 and 7 remain, newest first; the records at
        // 5 and 6 are no messages.
        Assert.Equal((1L, 2L), (one, oldest));
        Assert.Equal((7L, 2L), (state.Count, state.Total));
        Assert.Equal((4L, 7L), state.Page(0, 2));
        Assert.Equal(new HashSet<long> { 5, 6 }, state.DeletedBetween(4, 7));
        Assert.True(state.Page(2, 2) is var (from, to) && from > to);
    }

    [Fact]
    public void A_replay_whose_deleted_rows_are_gone_still_counts_them_as_deleted()
    {
        // Arrange: what a replay reads after an emptying's cleanup: the rows 1-4 are gone, the event at 5 and one message at 6 remain.
        var state = new MailboxState();

        // Act
        state.Apply(new MessagesDeletedV1(4, 0), 5);
        state.Apply(new MessageStoredV1(Entries.Stored(6)), 6);

        // Assert
        Assert.Equal((6L, 5L, 1L), (state.Count, state.DeletedThrough, state.Total));
        Assert.Equal((6L, 6L), state.Page(0, 10));
    }
}
