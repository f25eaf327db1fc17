using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Serialization;

/// <summary>
/// Rows written by earlier versions (Golden/*.json, produced by those versions' serializers) stay readable: the event
/// and the full-list snapshot from before the versioned contract, the bounded snapshot from before mailboxes
/// could be emptied and the one from before messages could be deleted one by one, recover into today's state.
/// </summary>
public sealed class GoldenJournalSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(SpecConfig.Serialization, "mailingest-golden-spec", output)
{
    private static byte[] Golden(string manifest) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Serialization", "Golden", manifest + ".json"));

    private object Read(string manifest)
    {
        var serializer = Sys.Serialization.FindSerializerForType(typeof(MessageStoredV1));
        return Sys.Serialization.Deserialize(Golden(manifest), serializer.Identifier, manifest);
    }

    [Fact]
    public void Stored_event_written_before_the_contract_reads_as_MessageStoredV1_with_every_field()
    {
        // Act
        var stored = Assert.IsType<MessageStoredV1>(Read("mbx.stored.v1"));

        // Assert: every field as written, attachmentCount (no longer kept) ignored.
        var entry = stored.Entry;
        Assert.Equal("019AA0B1C2D301E4F5A6B7C8", entry.Id);
        Assert.Equal(new string('b', 64), entry.ContentKey);
        Assert.Equal("<golden-1@example.org>|" + new string('b', 64), entry.DedupKey);
        Assert.StartsWith("Return-Path: <sender@example.org>\r\nReceived: from client.example.org", entry.TraceHeaders);
        Assert.Equal("golden-1@example.org", entry.MessageId);
        Assert.Equal("Sender <sender@example.org>", entry.From);
        Assert.Equal("golden@example.com", entry.To);
        Assert.Equal("Golden \"1\" <subject> é", entry.Subject);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 30, 0, TimeSpan.FromHours(1)), entry.Date);
        Assert.Equal(4097, entry.Size);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 30, 16, 123, TimeSpan.Zero), entry.ReceivedAt);
        // Written before authentication existed: "not evaluated".
        Assert.Null(entry.Authentication);
    }

    [Fact]
    public void Full_list_snapshot_written_before_the_contract_recovers_into_the_bounded_state()
    {
        // Arrange
        var snapshot = Assert.IsType<MailboxSnapshotV1>(Read("mbx.snapshot.v1"));
        var state = new MailboxState();

        // Act: recovery as the actor does it, the snapshot then the event that followed it.
        state.Restore(snapshot);
        state.Apply((MessageStoredV1)Read("mbx.stored.v1") with { Entry = snapshot.Entries[0] with { Id = "THIRD", DedupKey = "third" } }, 3);

        // Assert: positions follow the old list, both old messages are recognised as duplicates and found by id.
        Assert.Equal(3, state.Count);
        Assert.Equal(new DedupMark("<golden-1@example.org>|" + new string('b', 64), "019AA0B1C2D301E4F5A6B7C8", 1),
            state.FindDuplicate("<golden-1@example.org>|" + new string('b', 64)));
        Assert.Equal(2, state.FindRecent("019AA0B1C2D302E4F5A6B7C8")?.SequenceNr);
        Assert.Equal((2L, 3L), state.Page(0, 2));
    }

    [Fact]
    public void Bounded_snapshot_written_before_mailboxes_could_be_emptied_recovers_with_nothing_deleted()
    {
        // Arrange
        var snapshot = Assert.IsType<MailboxSnapshotV2>(Read("mbx.snapshot.v2"));
        var state = new MailboxState();

        // Act
        state.Restore(snapshot);

        // Assert
        Assert.Equal(2500, state.Count);
        Assert.Equal(0, state.DeletedThrough);
        Assert.Equal(2500, state.Total);
        Assert.Equal(2500, state.FindRecent("019AC0B1C2D3FAE4F5A6B7C8")?.SequenceNr);
        Assert.NotNull(state.FindDuplicate("<golden-2499@example.org>|k2499"));
        Assert.Equal((2451L, 2500L), state.Page(0, 50));
        Assert.Equal((2500L, 0L, 2), (state.ToSnapshot().Count, state.ToSnapshot().DeletedThrough, state.ToSnapshot().Recent.Count));
    }

    [Fact]
    public void Snapshot_written_before_messages_could_be_deleted_one_by_one_recovers_with_its_emptying_and_no_gaps()
    {
        // Arrange
        var snapshot = Assert.IsType<MailboxSnapshotV3>(Read("mbx.snapshot.v3"));
        var state = new MailboxState();

        // Act
        state.Restore(snapshot);

        // Assert
        Assert.Equal((2500L, 2000L, 500L), (state.Count, state.DeletedThrough, state.Total));
        Assert.True(state.IsDeleted(2000));
        Assert.False(state.IsDeleted(2001));
        Assert.Equal((2451L, 2500L), state.Page(0, 50));
        Assert.Empty(state.ToSnapshot().Deleted);
    }

    [Fact]
    public void Deletion_event_recovers_with_its_own_sequence_number_stepped_over()
    {
        // Arrange: the v3 snapshot (2 500 messages, the oldest 2 000 deleted), then one message deleted alone, recorded at 2 501.
        var state = new MailboxState();
        state.Restore(Assert.IsType<MailboxSnapshotV3>(Read("mbx.snapshot.v3")));

        // Act
        var removed = state.Apply(Assert.IsType<MessagesDeletedV1>(Read("mbx.deletion.v1")), 2501);

        // Assert
        Assert.Equal((1L, 2501L, 499L), (removed, state.Count, state.Total));
        Assert.True(state.IsDeleted(2499));
        Assert.Equal((2498L, 2500L), state.Page(0, 2));
    }

    [Fact]
    public void Retry_ledger_rows_recover_into_a_ledger_that_lets_only_the_deferred_copy_absorb_a_retry()
    {
        // Arrange: a copy (…01) whose transaction was deferred, then absorbed by its retry (…09), which was deferred
        // in turn (the snapshot), replayed as the ledger actor does.
        var ledger = new RetryLedger();
        ledger.Restore(Assert.IsType<RetryLedgerSnapshotV1>(Read("rty.snapshot.v1")));
        ledger.Apply(Assert.IsType<RetryDeferredV1>(Read("rty.deferred.v1")));
        ledger.Apply(Assert.IsType<RetryClaimedV1>(Read("rty.claimed.v1")));

        // Act
        var resend = ledger.Judge("019AB0B1C2D301E4F5A6B7C8", "019AB0B1C2D309E4F5A6B7C8");
        var nextRetry = ledger.Judge("019AB0B1C2D301E4F5A6B7C8", "NEXT");
        var unknown = ledger.Judge("OTHER", "NEXT");

        // Assert
        Assert.Equal(RetryVerdict.AlreadyClaimed, resend);
        Assert.Equal(RetryVerdict.Claimable, nextRetry);
        Assert.Equal(RetryVerdict.Distinct, unknown);
    }
}
