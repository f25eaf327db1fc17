using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary><see cref="SmtpSession.GracePeriodOver"/>: the drain is over and the session closes whatever it does.</summary>
public sealed class GracePeriodTests
{
    [Fact]
    public void Grace_period_over_in_command_mode_gets_421_4_3_2_and_close()
    {
        var driver = new SmtpTestDriver().Send("EHLO client.test\r\n");
        driver.Effects.Clear();

        driver.Record(driver.Session.GracePeriodOver());

        Assert.Equal([typeof(SendReply), typeof(CloseConnection)], driver.Effects.Select(e => e.GetType()));
        Assert.EndsWith("421 4.3.2 mx.test Service shutting down\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Grace_period_over_after_shutdown_closes_transaction_left_pending()
    {
        var driver = new SmtpTestDriver().ReadyForData();
        driver.Record(driver.Session.Shutdown());

        driver.Record(driver.Session.GracePeriodOver());

        Assert.Equal(["421 4.3.2"], driver.Codes);
        Assert.False(driver.Session.InTransaction);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
    }

    [Fact]
    public void Grace_period_over_mid_data_discards_message_before_421()
    {
        var driver = new SmtpTestDriver().ReadyForData().Send("DATA\r\npartial\r\n");
        driver.Effects.Clear();

        driver.Record(driver.Session.GracePeriodOver());

        Assert.IsType<DiscardMessage>(driver.Effects[0]);
        Assert.Equal("421 4.3.2", driver.LastCode);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
        Assert.Empty(driver.Delivered);
    }

    [Fact]
    public void Grace_period_over_while_awaiting_delivery_closes_and_ignores_outcome()
    {
        var driver = new SmtpTestDriver { AutoDeliver = null }.ReadyForData().Send("DATA\r\nbody\r\n.\r\n");
        driver.Effects.Clear();

        driver.Record(driver.Session.GracePeriodOver());
        var late = driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("Q1"));

        // The content went to delivery with EndMessage, so there is no spool left to discard.
        Assert.Equal([typeof(SendReply), typeof(CloseConnection)], driver.Effects.Select(e => e.GetType()));
        Assert.Empty(late);
        Assert.Equal(["354", "421 4.3.2"], driver.Codes);
        Assert.False(driver.Session.AwaitingDelivery);
    }

    [Fact]
    public void Grace_period_over_after_close_emits_nothing()
    {
        var driver = new SmtpTestDriver().Send("QUIT\r\n");

        Assert.Empty(driver.Session.GracePeriodOver());
    }

    [Fact]
    public void Grace_period_over_swallows_later_input()
    {
        var driver = new SmtpTestDriver();
        driver.Record(driver.Session.GracePeriodOver());

        var result = driver.Session.Feed("NOOP\r\n"u8.ToArray());

        Assert.Equal(6, result.Consumed);
        Assert.Empty(result.Effects);
    }
}
