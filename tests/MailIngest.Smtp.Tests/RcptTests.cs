using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class RcptTests
{
    private static SmtpTestDriver InMail(SmtpOptions? options = null, string mailParameters = "") =>
        new SmtpTestDriver(options).Send($"EHLO client.test\r\nMAIL FROM:<a@sender.test>{mailParameters}\r\n");

    private static SmtpOptions Domains(params string[] domains) =>
        new() { HostName = SmtpTestDriver.Host, AcceptedDomains = domains };

    [Fact]
    public void Rcpt_before_mail_gets_503_5_5_1()
    {
        var driver = new SmtpTestDriver().Send("EHLO c\r\n");

        driver.Send("RCPT TO:<b@mx.test>\r\n");

        Assert.Equal("503 5.5.1", driver.LastCode);
    }

    [Theory]
    [InlineData("RCPT TO:<b@mx.test>")]
    [InlineData("RCPT TO: <b@mx.test>")]
    [InlineData("rcpt to:<B@MX.TEST>")]
    public void Rcpt_with_valid_address_gets_250_2_1_5(string line)
    {
        var driver = InMail();

        driver.Send(line + "\r\n");

        Assert.Equal("250 2.1.5", driver.LastCode);
    }

    [Theory]
    [InlineData("RCPT TO:<>")]
    [InlineData("RCPT TO:b@mx.test")]
    [InlineData("RCPT TO:<b@>")]
    [InlineData("RCPT TO:<b@@mx.test>")]
    [InlineData("RCPT TO:<b.@mx.test>")]
    public void Rcpt_with_bad_address_gets_501_5_1_3(string line)
    {
        var driver = InMail();

        driver.Send(line + "\r\n");

        Assert.Equal("501 5.1.3", driver.LastCode);
    }

    [Theory]
    [InlineData("RCPT <b@mx.test>")]
    [InlineData("RCPT FROM:<b@mx.test>")]
    public void Rcpt_without_to_colon_gets_501_5_5_4(string line)
    {
        var driver = InMail();

        driver.Send(line + "\r\n");

        Assert.Equal("501 5.5.4", driver.LastCode);
    }

    [Fact]
    public void Rcpt_with_parameter_gets_501_5_5_4()
    {
        var driver = InMail();

        driver.Send("RCPT TO:<b@mx.test> NOTIFY=NEVER\r\n");

        Assert.Equal("501 5.5.4", driver.LastCode);
    }

    [Fact]
    public void Rcpt_for_domain_not_accepted_gets_550_5_7_1()
    {
        var driver = InMail(Domains("mx.test", "other.test"));

        driver.Send("RCPT TO:<b@elsewhere.test>\r\n");

        Assert.Equal("550 5.7.1", driver.LastCode);
        Assert.DoesNotContain("mx.test", driver.Replies[^1].Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Rcpt_for_accepted_domain_matches_case_insensitively()
    {
        var driver = InMail(Domains("Mx.Test"));

        driver.Send("RCPT TO:<b@MX.test>\r\n");

        Assert.Equal("250 2.1.5", driver.LastCode);
    }

    [Fact]
    public void Rcpt_for_address_literal_with_accepted_domains_gets_550_5_7_1()
    {
        var driver = InMail(Domains("mx.test"));

        driver.Send("RCPT TO:<b@[192.0.2.1]>\r\n");

        Assert.Equal("550 5.7.1", driver.LastCode);
    }

    [Fact]
    public void Rcpt_over_max_recipients_gets_452_4_5_3()
    {
        var driver = InMail(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxRecipients = 2 });

        driver.Send("RCPT TO:<r1@mx.test>\r\nRCPT TO:<r2@mx.test>\r\nRCPT TO:<r3@mx.test>\r\nDATA\r\nx\r\n.\r\n");

        Assert.Equal(["250 2.1.5", "250 2.1.5", "452 4.5.3", "354", "250 2.0.0"], driver.Codes.Skip(3));
        Assert.Equal(["r1@mx.test", "r2@mx.test"], driver.Envelopes[0].Recipients.Select(r => r.Address));
    }

    [Fact]
    public void Too_many_recipients_replies_do_not_count_towards_error_limit()
    {
        var driver = InMail(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxRecipients = 1, MaxErrors = 3 });

        driver.Send(string.Concat(Enumerable.Range(0, 10).Select(i => $"RCPT TO:<r{i}@mx.test>\r\n")));

        Assert.False(driver.Session.Closed);
        Assert.Equal(9, driver.Codes.Count(c => c == "452 4.5.3"));
    }

    [Fact]
    public void Duplicate_recipient_gets_250_but_is_kept_once()
    {
        var driver = InMail(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxRecipients = 1 });

        driver.Send("RCPT TO:<Bob@MX.test>\r\nRCPT TO:<bob@mx.TEST>\r\nDATA\r\nx\r\n.\r\n");

        Assert.Equal(["250 2.1.5", "250 2.1.5", "354"], driver.Codes.Skip(3).Take(3));
        var recipient = Assert.Single(driver.Envelopes[0].Recipients);
        Assert.Equal("Bob@MX.test", recipient.Address);
        Assert.Equal("bob@mx.test", recipient.Normalized);
    }

    [Fact]
    public void Postmaster_without_domain_is_accepted_as_postmaster_at_host()
    {
        var driver = InMail(Domains("other.test"));

        driver.Send("RCPT TO:<Postmaster>\r\nDATA\r\nx\r\n.\r\n");

        Assert.Equal("250 2.1.5", driver.Codes.ElementAt(3));
        Assert.Equal("postmaster@mx.test", driver.Envelopes[0].Recipients[0].Normalized);
    }

    [Fact]
    public void Non_ascii_recipient_without_smtputf8_gets_553_5_6_7()
    {
        var driver = InMail();

        driver.Send("RCPT TO:<ö@mx.test>\r\n");

        Assert.Equal("553 5.6.7", driver.LastCode);
    }

    [Fact]
    public void Non_ascii_recipient_with_smtputf8_is_accepted()
    {
        var driver = InMail(mailParameters: " SMTPUTF8");

        driver.Send("RCPT TO:<Öle@bücher.test>\r\n");

        Assert.Equal("250 2.1.5", driver.LastCode);
    }

    [Fact]
    public void Rejected_recipient_leaves_data_forbidden()
    {
        var driver = InMail(Domains("mx.test"));

        driver.Send("RCPT TO:<b@elsewhere.test>\r\nDATA\r\n");

        Assert.Equal(["550 5.7.1", "503 5.5.1"], driver.Codes.Skip(3));
    }
}
