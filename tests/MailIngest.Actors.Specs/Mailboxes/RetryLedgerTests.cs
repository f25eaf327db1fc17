using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Specs.Mailboxes;

/// <summary>The retry ledger's rule on its own: only a copy whose transaction answered 451 absorbs an identical copy.</summary>
public sealed class RetryLedgerTests
{
    [Fact]
    public void Ledger_calls_a_copy_of_an_acknowledged_transaction_distinct()
    {
        // Arrange
        var ledger = new RetryLedger();

        // Act
        var verdict = ledger.Judge("T1", "T2");

        // Assert: nothing was deferred, so the same content is a second message.
        Assert.Equal(RetryVerdict.Distinct, verdict);
    }

    [Fact]
    public void Ledger_lets_a_deferred_copy_absorb_one_retry_and_then_stand_for_it()
    {
        // Arrange
        var ledger = new RetryLedger();
        ledger.Apply(new RetryDeferredV1("T1"));

        // Act
        var retry = ledger.Judge("T1", "T2");
        ledger.Apply(new RetryClaimedV1("T1", "T2"));
        var resendOfRetry = ledger.Judge("T1", "T2");
        var laterIdentical = ledger.Judge("T1", "T3");

        // Assert: once the retry claimed the copy, the copy stands for the retry, which was acknowledged.
        Assert.Equal(RetryVerdict.Claimable, retry);
        Assert.Equal(RetryVerdict.AlreadyClaimed, resendOfRetry);
        Assert.Equal(RetryVerdict.Distinct, laterIdentical);
    }

    [Fact]
    public void Ledger_lets_a_copy_absorb_again_when_the_retry_that_claimed_it_was_deferred_too()
    {
        // Arrange
        var ledger = new RetryLedger();
        ledger.Apply(new RetryDeferredV1("T1"));
        ledger.Apply(new RetryClaimedV1("T1", "T2"));

        // Act
        ledger.Apply(new RetryDeferredV1("T2"));
        var verdict = ledger.Judge("T1", "T3");

        // Assert
        Assert.Equal(RetryVerdict.Claimable, verdict);
    }

    [Fact]
    public void Ledger_accepts_a_deferral_that_arrives_before_its_copy_is_stored()
    {
        // Arrange: the 451 came first, the slow copy was persisted afterwards under the same queue id.
        var ledger = new RetryLedger();
        ledger.Apply(new RetryDeferredV1("T1"));

        // Act
        var verdict = ledger.Judge("T1", "T2");

        // Assert
        Assert.Equal(RetryVerdict.Claimable, verdict);
    }

    [Fact]
    public void Ledger_keeps_at_most_its_capacity_and_forgets_the_oldest_first()
    {
        // Arrange
        var ledger = new RetryLedger();

        // Act
        for (var n = 0; n <= RetryLedger.Capacity; n++) ledger.Apply(new RetryDeferredV1($"T{n}"));
        var snapshot = ledger.ToSnapshot();

        // Assert
        Assert.Equal(RetryLedger.Capacity, snapshot.Deferred.Count);
        Assert.Equal(RetryVerdict.Distinct, ledger.Judge("T0", "X"));
        Assert.Equal(RetryVerdict.Claimable, ledger.Judge("T1", "X"));
    }

    [Fact]
    public void Ledger_restored_from_its_snapshot_judges_as_before()
    {
        // Arrange
        var ledger = new RetryLedger();
        ledger.Apply(new RetryDeferredV1("T1"));
        ledger.Apply(new RetryClaimedV1("T1", "T2"));
        ledger.Apply(new RetryDeferredV1("T5"));
        var restored = new RetryLedger();

        // Act
        restored.Restore(ledger.ToSnapshot());

        // Assert
        Assert.Equal(RetryVerdict.AlreadyClaimed, restored.Judge("T1", "T2"));
        Assert.Equal(RetryVerdict.Distinct, restored.Judge("T1", "T3"));
        Assert.Equal(RetryVerdict.Claimable, restored.Judge("T5", "T6"));
    }
}
