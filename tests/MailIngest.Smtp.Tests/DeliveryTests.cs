using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class DeliveryTests
{
    private static SmtpTestDriver AwaitingDelivery()
    {
        var driver = new SmtpTestDriver().ReadyForData();
        driver.AutoDeliver = null;
        driver.Send("DATA\r\nbody\r\n.\r\n");
        driver.Replies.Clear();
        return driver;
    }

    [Fact]
    public void End_of_data_emits_end_message_without_a_reply()
    {
        var driver = AwaitingDelivery();

        Assert.Empty(driver.Replies);
        Assert.True(driver.Session.AwaitingDelivery);
        Assert.True(driver.Session.InTransaction);
        var end = (EndMessage)driver.Effects[^1];
        Assert.Equal("b@mx.test", end.Envelope.Recipients[0].Normalized);
    }

    [Fact]
    public void Accepted_delivery_gets_250_queued_as_id_and_resets_transaction()
    {
        var driver = AwaitingDelivery();

        driver.Record(driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("ABC123")));

        Assert.Equal("250 2.0.0 Ok: queued as ABC123\r\n", driver.Wire);
        Assert.False(driver.Session.AwaitingDelivery);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Delivery_that_found_the_store_full_gets_452_4_3_1_and_resets_transaction()
    {
        var driver = AwaitingDelivery();

        driver.Record(driver.Session.DeliveryCompleted(DeliveryOutcome.NoStorage.Instance));

        Assert.Equal("452 4.3.1 Insufficient system storage\r\n", driver.Wire);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Delivery_a_filter_refused_gets_the_filters_reply_and_resets_transaction()
    {
        var driver = AwaitingDelivery();

        driver.Record(driver.Session.DeliveryCompleted(new DeliveryOutcome.Refused(new Replies.SmtpReply(554, "5.7.1", "Spam, go away"))));

        Assert.Equal("554 5.7.1 Spam, go away\r\n", driver.Wire);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Deferred_delivery_gets_451_4_3_0_without_internal_reason()
    {
        var driver = AwaitingDelivery();

        driver.Record(driver.Session.DeliveryCompleted(DeliveryOutcome.Deferred.Instance));

        Assert.Equal("451 4.3.0 Requested action aborted: local error in processing\r\n", driver.Wire);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void After_delivery_pipelined_commands_are_read_again()
    {
        var driver = AwaitingDelivery();
        driver.Send("RCPT TO:<x@mx.test>\r\nMAIL FROM:<a@b.test>\r\n");
        Assert.Empty(driver.Replies);

        driver.Record(driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("Q9")));
        driver.Send(string.Empty);

        Assert.Equal(["250 2.0.0", "503 5.5.1", "250 2.1.0"], driver.Codes);
    }

    [Fact]
    public void Delivery_completed_without_pending_delivery_throws()
    {
        var driver = new SmtpTestDriver();

        Assert.Throws<InvalidOperationException>(() => driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("x")));
    }

    [Fact]
    public void Delivery_completed_after_close_emits_nothing()
    {
        var driver = AwaitingDelivery();
        driver.Session.IdleTimeout();

        var effects = driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("x"));

        Assert.Empty(effects);
    }
}
