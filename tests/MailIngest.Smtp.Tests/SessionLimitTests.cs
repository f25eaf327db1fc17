using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class SessionLimitTests
{
    [Fact]
    public void Reaching_max_errors_gets_421_4_7_0_and_close()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxErrors = 3 });

        driver.Send("FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n");

        Assert.Equal(["220", "500 5.5.2", "500 5.5.2", "500 5.5.2", "421 4.7.0"], driver.Codes);
        Assert.EndsWith("421 4.7.0 mx.test Too many errors, closing connection\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Error_count_includes_sequence_and_argument_errors()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxErrors = 3 });

        driver.Send("DATA\r\nEHLO\r\nEHLO c\r\nMAIL FROM:<bad>\r\n");

        Assert.Equal(["503 5.5.1", "501 5.5.4", "250", "501 5.1.7", "421 4.7.0"], driver.Codes.Skip(1));
    }

    [Fact]
    public void Successful_commands_do_not_count_as_errors()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxErrors = 2 });

        driver.Send("FOO\r\nNOOP\r\nNOOP\r\nNOOP\r\n");

        Assert.False(driver.Session.Closed);
    }

    [Fact]
    public void Idle_timeout_in_command_state_gets_421_4_4_2_and_close()
    {
        var driver = new SmtpTestDriver();
        Assert.Equal(driver.Options.CommandTimeout, driver.Session.Timeout);

        driver.Record(driver.Session.IdleTimeout());

        Assert.EndsWith("421 4.4.2 mx.test Timeout, closing connection\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
        Assert.DoesNotContain(driver.Effects, e => e is DiscardMessage);
    }

    [Fact]
    public void Idle_timeout_during_data_discards_message_first()
    {
        var driver = new SmtpTestDriver().ReadyForData().Send("DATA\r\npartial");
        driver.Effects.Clear();

        driver.Record(driver.Session.IdleTimeout());

        Assert.IsType<DiscardMessage>(driver.Effects[0]);
        Assert.Equal("421 4.4.2", driver.LastCode);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
    }

    [Fact]
    public void Timeout_is_command_timeout_again_after_data()
    {
        var driver = new SmtpTestDriver().ReadyForData().Send("DATA\r\nx\r\n.\r\n");

        Assert.Equal(driver.Options.CommandTimeout, driver.Session.Timeout);
    }

    [Fact]
    public void Shutdown_when_idle_gets_421_4_3_2_and_close()
    {
        var driver = new SmtpTestDriver().Send("EHLO c\r\n");

        driver.Record(driver.Session.Shutdown());

        Assert.EndsWith("421 4.3.2 mx.test Service shutting down\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Shutdown_in_transaction_waits_for_delivery_reply()
    {
        var driver = new SmtpTestDriver().ReadyForData();
        driver.AutoDeliver = null;
        driver.Send("DATA\r\nbody\r\n");

        // Copied: the session reuses its effect list on the next call.
        var effects = driver.Session.Shutdown().ToList();
        driver.Send(".\r\n");
        driver.Record(driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("Q1")));

        Assert.Empty(effects);
        Assert.Equal(["354", "250 2.0.0", "421 4.3.2"], driver.Codes);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
    }

    [Fact]
    public void Shutdown_while_awaiting_delivery_closes_after_451()
    {
        var driver = new SmtpTestDriver().ReadyForData();
        driver.AutoDeliver = null;
        driver.Send("DATA\r\nbody\r\n.\r\n");

        Assert.Empty(driver.Session.Shutdown());
        driver.Record(driver.Session.DeliveryCompleted(DeliveryOutcome.Deferred.Instance));

        Assert.Equal(["354", "451 4.3.0", "421 4.3.2"], driver.Codes);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Shutdown_in_transaction_closes_after_rset()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Record(driver.Session.Shutdown());
        driver.Send("RCPT TO:<c@mx.test>\r\nRSET\r\nNOOP\r\n");

        Assert.Equal(["250 2.1.5", "250 2.0.0", "421 4.3.2"], driver.Codes);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Shutdown_in_transaction_closes_after_rejected_message()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxMessageBytes = 2 }).ReadyForData();

        driver.Record(driver.Session.Shutdown());
        driver.Send("DATA\r\ntoo big\r\n.\r\n");

        Assert.Equal(["354", "552 5.3.4", "421 4.3.2"], driver.Codes);
    }

    [Fact]
    public void Quit_while_shutdown_is_pending_gets_221_only()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Record(driver.Session.Shutdown());
        driver.Send("QUIT\r\n");

        Assert.Equal(["221 2.0.0"], driver.Codes);
        Assert.Single(driver.Effects, e => e is CloseConnection);
    }

    [Fact]
    public void Shutdown_after_close_emits_nothing()
    {
        var driver = new SmtpTestDriver().Send("QUIT\r\n");

        Assert.Empty(driver.Session.Shutdown());
        Assert.Empty(driver.Session.IdleTimeout());
    }
}
