using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class MailTests
{
    private static SmtpTestDriver Greeted(SmtpOptions? options = null) =>
        new SmtpTestDriver(options).Send("EHLO client.test\r\n");

    [Theory]
    [InlineData("MAIL FROM:<a@b.test>")]
    [InlineData("MAIL FROM: <a@b.test>")]
    [InlineData("MAIL FROM:<>")]
    [InlineData("MAIL FROM:<a@b.test> BODY=8BITMIME")]
    [InlineData("MAIL FROM:<a@b.test> BODY=7bit SIZE=100")]
    [InlineData("MAIL FROM:<@relay.test:a@b.test>")]
    [InlineData("MAIL FROM:<\"john doe\"@b.test>")]
    [InlineData("MAIL FROM:<a@[192.0.2.1]>")]
    [InlineData("MAIL FROM:<a@[IPv6:2001:db8::1]>")]
    public void Mail_with_valid_sender_gets_250_2_1_0(string line)
    {
        var driver = Greeted();

        driver.Send(line + "\r\n");

        Assert.Equal("250 2.1.0", driver.LastCode);
        Assert.True(driver.Session.InTransaction);
    }

    [Fact]
    public void Mail_after_helo_is_allowed()
    {
        var driver = new SmtpTestDriver().Send("HELO c\r\nMAIL FROM:<a@b.test>\r\n");

        Assert.Equal("250 2.1.0", driver.LastCode);
    }

    [Fact]
    public void Nested_mail_gets_503_5_5_1()
    {
        var driver = Greeted().Send("MAIL FROM:<a@b.test>\r\n");

        driver.Send("MAIL FROM:<c@d.test>\r\n");

        Assert.Equal("503 5.5.1", driver.LastCode);
    }

    [Theory]
    [InlineData("MAIL <a@b.test>")]
    [InlineData("MAIL FROM <a@b.test>")]
    [InlineData("MAIL TO:<a@b.test>")]
    [InlineData("MAIL")]
    public void Mail_without_from_colon_gets_501_5_5_4(string line)
    {
        var driver = Greeted();

        driver.Send(line + "\r\n");

        Assert.Equal("501 5.5.4", driver.LastCode);
    }

    [Theory]
    [InlineData("MAIL FROM:a@b.test")]
    [InlineData("MAIL FROM:<a@b.test")]
    [InlineData("MAIL FROM:<a@b.test>x")]
    [InlineData("MAIL FROM:<ab.test>")]
    [InlineData("MAIL FROM:<a@>")]
    [InlineData("MAIL FROM:<@b.test>")]
    [InlineData("MAIL FROM:<a..b@b.test>")]
    [InlineData("MAIL FROM:<.a@b.test>")]
    [InlineData("MAIL FROM:<a b@b.test>")]
    [InlineData("MAIL FROM:<a@-b.test>")]
    [InlineData("MAIL FROM:<a@b..test>")]
    [InlineData("MAIL FROM:<a@[999.0.0.1]>")]
    public void Mail_with_bad_sender_address_gets_501_5_1_7(string line)
    {
        var driver = Greeted();

        driver.Send(line + "\r\n");

        Assert.Equal("501 5.1.7", driver.LastCode);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Mail_with_local_part_over_64_octets_gets_501_5_1_7()
    {
        var driver = Greeted();

        driver.Send($"MAIL FROM:<{new string('a', 65)}@b.test>\r\n");

        Assert.Equal("501 5.1.7", driver.LastCode);
    }

    [Fact]
    public void Mail_with_address_over_254_octets_gets_501_5_1_7()
    {
        var driver = Greeted();
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 60), 4)); // 243 octets

        driver.Send($"MAIL FROM:<{new string('a', 12)}@{domain}>\r\n");

        Assert.Equal("501 5.1.7", driver.LastCode);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.test> FOO=1")]
    [InlineData("MAIL FROM:<a@b.test> BODY=BINARYMIME")]
    [InlineData("MAIL FROM:<a@b.test> SIZE=abc")]
    [InlineData("MAIL FROM:<a@b.test> SIZE=")]
    [InlineData("MAIL FROM:<a@b.test> SIZE=1 SIZE=2")]
    [InlineData("MAIL FROM:<a@b.test> SMTPUTF8=yes")]
    [InlineData("MAIL FROM:<a@b.test> =x")]
    public void Mail_with_bad_or_unknown_parameter_gets_501_5_5_4(string line)
    {
        var driver = Greeted();

        driver.Send(line + "\r\n");

        Assert.Equal("501 5.5.4", driver.LastCode);
    }

    [Fact]
    public void Mail_with_declared_size_over_limit_gets_552_5_3_4()
    {
        var driver = Greeted(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxMessageBytes = 1000 });

        driver.Send("MAIL FROM:<a@b.test> SIZE=1001\r\n");

        Assert.Equal("552 5.3.4", driver.LastCode);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Mail_with_huge_declared_size_gets_552_5_3_4()
    {
        var driver = Greeted();

        driver.Send("MAIL FROM:<a@b.test> SIZE=99999999999999999999999999\r\n");

        Assert.Equal("552 5.3.4", driver.LastCode);
    }

    [Fact]
    public void Mail_with_declared_size_at_limit_is_accepted()
    {
        var driver = Greeted(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxMessageBytes = 1000 });

        driver.Send("MAIL FROM:<a@b.test> SIZE=1000\r\n");

        Assert.Equal("250 2.1.0", driver.LastCode);
    }

    [Fact]
    public void Non_ascii_sender_without_smtputf8_gets_553_5_6_7()
    {
        var driver = Greeted();

        driver.Send("MAIL FROM:<jöran@bücher.test>\r\n");

        Assert.Equal("553 5.6.7", driver.LastCode);
    }

    [Fact]
    public void Non_ascii_sender_with_smtputf8_is_accepted_and_recorded()
    {
        var driver = Greeted();

        driver.Send("MAIL FROM:<jöran@bücher.test> SMTPUTF8\r\nRCPT TO:<ö@mx.test>\r\nDATA\r\nx\r\n.\r\n");

        Assert.Equal("250 2.0.0", driver.LastCode);
        var envelope = Assert.Single(driver.Envelopes);
        Assert.True(envelope.SmtpUtf8);
        Assert.Equal("jöran@bücher.test", envelope.ReversePath);
    }

    [Fact]
    public void Envelope_carries_null_sender_and_greeting_when_body_and_size_are_given()
    {
        var driver = Greeted();

        driver.Send("MAIL FROM:<> BODY=8BITMIME SIZE=3\r\nRCPT TO:<b@mx.test>\r\nDATA\r\nx\r\n.\r\n");

        var envelope = Assert.Single(driver.Envelopes);
        Assert.Equal(string.Empty, envelope.ReversePath);
        Assert.True(envelope.Esmtp);
        Assert.Equal("client.test", envelope.ClientName);
        Assert.False(envelope.SmtpUtf8);
    }

    [Theory]
    [InlineData("MAIL FROM:<\"a>b\"@b.test>", "\"a>b\"@b.test")]
    [InlineData("MAIL FROM:<@r1.test,@r2.test:a@b.test>", "a@b.test")]
    [InlineData("MAIL FROM:  <a@b.test>   SIZE=5", "a@b.test")]
    public void Mail_records_the_reverse_path_without_brackets_or_source_route(string line, string expected)
    {
        var driver = Greeted();

        driver.Send(line + "\r\nRCPT TO:<b@mx.test>\r\nDATA\r\n.\r\n");

        Assert.Equal(expected, Assert.Single(driver.Envelopes).ReversePath);
    }
}
