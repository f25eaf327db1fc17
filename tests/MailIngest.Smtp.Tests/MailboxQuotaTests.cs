using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>
/// A recipient whose mailbox is full gets 452 4.2.2 at RCPT (RFC 3463 X.2.2; 452 so that the client retries it later),
/// the other recipients of the transaction are accepted and get the message, and the refusals are not client errors.
/// </summary>
public sealed class MailboxQuotaTests
{
    [Fact]
    public void A_full_mailbox_gets_452_4_2_2_and_the_other_recipients_get_the_message()
    {
        var quota = new FullMailboxes { Full = { "full@mx.test" } };
        var driver = new SmtpTestDriver(quota: quota).Send(
            "EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<Full@MX.test>\r\nRCPT TO:<room@mx.test>\r\nDATA\r\nSubject: q\r\n\r\nbody\r\n.\r\n");

        Assert.Equal(["220", "250", "250 2.1.0", "452 4.2.2", "250 2.1.5", "354", "250 2.0.0"], driver.Codes);
        Assert.Contains("452 4.2.2 Mailbox full, try again later\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.Single(driver.Delivered);
        Assert.Equal(["room@mx.test"], Assert.Single(driver.Envelopes).Recipients.Select(recipient => recipient.Normalized));

        quota.Full.Clear();
        driver.Send("MAIL FROM:<a@sender.test>\r\nRCPT TO:<full@mx.test>\r\n");
        Assert.Equal(["250 2.1.0", "250 2.1.5"], driver.Codes.Skip(7));
    }

    [Fact]
    public void Refusals_for_full_mailboxes_do_not_count_as_client_errors()
    {
        var quota = new FullMailboxes { Full = { "full@mx.test" } };
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxErrors = 2 }, quota: quota);

        driver.Send("EHLO c.test\r\n" + string.Concat(Enumerable.Range(0, 4).Select(_ => "MAIL FROM:<a@sender.test>\r\nRCPT TO:<full@mx.test>\r\nRSET\r\n")));

        Assert.Equal(4, driver.Codes.Count(code => code == "452 4.2.2"));
        Assert.False(driver.Session.Closed);
    }
}
