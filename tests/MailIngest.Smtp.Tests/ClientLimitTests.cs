using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>Per-client limits the core decides: refusal at connect, commands without mail, rate, session time.</summary>
public sealed class ClientLimitTests
{
    [Theory]
    [InlineData(Admission.NodeFull, "421 4.7.0 mx.test Too many connections, try again later\r\n")]
    [InlineData(Admission.ClientFull, "421 4.7.0 mx.test Too many connections from your address, try again later\r\n")]
    [InlineData(Admission.Draining, "421 4.3.2 mx.test Service shutting down\r\n")]
    public void A_connection_over_a_limit_gets_421_instead_of_the_greeting_and_is_closed(Admission admission, string wire)
    {
        var driver = new SmtpTestDriver(start: false);

        driver.Record(driver.Session.Start(admission));

        Assert.Equal(wire, driver.Wire);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Commands_without_a_transaction_beyond_the_limit_get_421_4_7_0_and_close()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxCommandsWithoutMail = 3 });

        driver.Send("EHLO c.test\r\nNOOP\r\nRSET\r\nNOOP\r\nNOOP\r\n");

        Assert.Equal(["220", "250", "250 2.0.0", "250 2.0.0", "421 4.7.0"], driver.Codes);
        Assert.EndsWith("421 4.7.0 mx.test Too many commands without a mail transaction, closing connection\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void An_accepted_MAIL_restarts_the_count_of_commands_without_a_transaction()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxCommandsWithoutMail = 2 });

        driver.Send("EHLO c.test\r\nNOOP\r\nMAIL FROM:<a@sender.test>\r\nRSET\r\nNOOP\r\n");

        Assert.Equal(["220", "250", "250 2.0.0", "250 2.1.0", "250 2.0.0", "250 2.0.0"], driver.Codes);
        Assert.False(driver.Session.Closed);
    }

    [Fact]
    public void MAIL_over_the_client_rate_gets_450_4_7_1_and_the_session_stays_open()
    {
        var rate = new CountingRateLimit(allowed: 1);
        var driver = new SmtpTestDriver(rateLimit: rate);

        driver.Send("EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\nRSET\r\nMAIL FROM:<a@sender.test>\r\nNOOP\r\n");

        Assert.Equal(["220", "250", "250 2.1.0", "250 2.0.0", "450 4.7.1", "250 2.0.0"], driver.Codes);
        Assert.Equal([SmtpTestDriver.Client, SmtpTestDriver.Client], rate.Asked);
        Assert.False(driver.Session.Closed);
    }

    [Fact]
    public void A_MAIL_refused_for_its_syntax_does_not_use_up_the_rate()
    {
        var rate = new CountingRateLimit(allowed: 1);
        var driver = new SmtpTestDriver(rateLimit: rate);

        driver.Send("EHLO c.test\r\nMAIL FROM:<bad\r\n");

        Assert.Empty(rate.Asked);
    }

    [Fact]
    public void Session_time_limit_mid_data_discards_the_message_and_closes_with_421_4_4_2()
    {
        var driver = new SmtpTestDriver().ReadyForData().Send("DATA\r\nSubject: slow\r\n\r\npart");
        driver.Effects.Clear();

        driver.Record(driver.Session.SessionTimeLimit());

        Assert.IsType<DiscardMessage>(driver.Effects[0]);
        Assert.EndsWith("421 4.4.2 mx.test Session time limit reached, closing connection\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
    }

    [Fact]
    public void Session_time_limit_while_a_delivery_is_pending_waits_for_its_reply_then_closes()
    {
        var driver = new SmtpTestDriver { AutoDeliver = null }.ReadyForData().Send("DATA\r\nSubject: s\r\n\r\nbody\r\n.\r\n");
        Assert.True(driver.Session.AwaitingDelivery);

        driver.Record(driver.Session.SessionTimeLimit());
        Assert.False(driver.Session.Closed);
        driver.Record(driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("Q9")));

        Assert.Equal(["250 2.0.0", "421 4.4.2"], driver.Codes.TakeLast(2));
        Assert.True(driver.Session.Closed);
    }
}
