using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>SmtpOptions.CheckRecipients: each new recipient is put to the host (the milters) before RCPT is answered.</summary>
public sealed class RecipientCheckTests
{
    private static readonly SmtpReply Refused = new(550, "5.7.1", "Recipient refused by filter");

    // Greeted and MAIL given: the next command may be RCPT (the replies 220, 250, 250 2.1.0 come first).
    private const string InTransaction = "EHLO client.test\r\nMAIL FROM:<a@sender.test>\r\n";

    private static SmtpTestDriver Checking(int maxErrors = 10) =>
        new(new SmtpOptions { HostName = SmtpTestDriver.Host, CheckRecipients = true, AcceptedDomains = ["mx.test"], MaxErrors = maxErrors });

    private static CheckRecipient LastCheck(SmtpTestDriver driver) => driver.Effects.OfType<CheckRecipient>().Last();

    [Fact]
    public void RCPT_waits_for_the_check_and_reads_nothing_pipelined_after_it_until_then()
    {
        var driver = Checking();
        driver.Send(InTransaction + "RCPT TO:<b@mx.test>\r\nDATA\r\n");

        Assert.Equal(["220", "250", "250 2.1.0"], driver.Codes);
        Assert.True(driver.Session.AwaitingHost);
        Assert.False(driver.Session.AwaitingDelivery);
        Assert.Equal("DATA\r\n".Length, driver.PendingBytes);
        var check = LastCheck(driver);
        Assert.Equal((1, "b@mx.test", "a@sender.test"), (check.Transaction, check.Recipient.Normalized, check.Envelope.ReversePath));
        Assert.Empty(check.Envelope.Recipients);

        driver.Record(driver.Session.RecipientChecked(null));
        driver.Feed([]);

        Assert.Equal(["250 2.1.5", "354"], driver.Codes.Skip(3));
        Assert.False(driver.Session.AwaitingHost);
    }

    [Fact]
    public void A_refused_recipient_gets_the_refusal_and_stays_out_of_the_envelope()
    {
        var driver = Checking();
        driver.Send(InTransaction + "RCPT TO:<blocked@mx.test>\r\n");
        driver.Record(driver.Session.RecipientChecked(Refused));
        driver.Send("RCPT TO:<ok@mx.test>\r\n");

        var second = LastCheck(driver);
        Assert.Empty(second.Envelope.Recipients);
        driver.Record(driver.Session.RecipientChecked(null));
        driver.Send("DATA\r\nbody\r\n.\r\n");

        Assert.Equal(["550 5.7.1", "250 2.1.5", "354", "250 2.0.0"], driver.Codes.Skip(3));
        Assert.Equal(["ok@mx.test"], driver.Envelopes.Single().Recipients.Select(r => r.Normalized));
    }

    [Fact]
    public void Every_recipient_refused_leaves_DATA_without_a_valid_recipient()
    {
        var driver = Checking();
        driver.Send(InTransaction + "RCPT TO:<blocked@mx.test>\r\n");
        driver.Record(driver.Session.RecipientChecked(Refused));
        driver.Send("DATA\r\n");

        Assert.Equal("503 5.5.1", driver.LastCode);
        Assert.Empty(driver.Envelopes);
    }

    [Fact]
    public void A_5xx_refusal_counts_as_an_error_and_a_4xx_does_not()
    {
        var driver = Checking(maxErrors: 2);
        driver.Send(InTransaction);
        for (var i = 0; i < 3; i++)
        {
            driver.Send($"RCPT TO:<deferred{i}@mx.test>\r\n");
            driver.Record(driver.Session.RecipientChecked(new SmtpReply(451, "4.7.1", "Content filter unavailable; try again later")));
        }

        Assert.False(driver.Session.Closed);
        driver.Send("RCPT TO:<refused1@mx.test>\r\n");
        driver.Record(driver.Session.RecipientChecked(Refused));
        driver.Send("RCPT TO:<refused2@mx.test>\r\n");
        driver.Record(driver.Session.RecipientChecked(Refused));

        Assert.Equal(["550 5.7.1", "421 4.7.0"], driver.Codes.TakeLast(2));
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Only_new_recipients_that_passed_the_sessions_own_checks_are_put_to_the_host()
    {
        var driver = Checking();
        driver.Send(InTransaction + "RCPT TO:<b@elsewhere.test>\r\nRCPT TO:<b@mx.test>\r\n");
        driver.Record(driver.Session.RecipientChecked(null));
        driver.Send("RCPT TO:<B@mx.test>\r\n");

        Assert.Single(driver.Effects.OfType<CheckRecipient>());
        Assert.Equal(["550 5.7.1", "250 2.1.5", "250 2.1.5"], driver.Codes.Skip(3));
    }

    [Fact]
    public void Each_transaction_has_its_own_number_so_the_host_can_tell_an_abandoned_one()
    {
        var driver = Checking();
        driver.Send(InTransaction + "RCPT TO:<b@mx.test>\r\n");
        driver.Record(driver.Session.RecipientChecked(null));
        driver.Send("RSET\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<b@mx.test>\r\n");

        Assert.Equal([1, 2], driver.Effects.OfType<CheckRecipient>().Select(check => check.Transaction));
    }

    [Fact]
    public void An_answer_after_the_session_closed_is_ignored_and_one_never_asked_for_is_a_bug()
    {
        var driver = Checking();
        driver.Send(InTransaction + "RCPT TO:<b@mx.test>\r\n");
        driver.Record(driver.Session.GracePeriodOver());

        Assert.Empty(driver.Session.RecipientChecked(null));
        Assert.Equal("421 4.3.2", driver.LastCode);
        Assert.Throws<InvalidOperationException>(() => Checking().Session.RecipientChecked(null));
    }
}
