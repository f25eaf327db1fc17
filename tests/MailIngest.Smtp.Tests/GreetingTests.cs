using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class GreetingTests
{
    [Fact]
    public void Start_sends_220_with_host_and_version_without_enhanced_code()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = "mx.test", SoftwareVersion = "9.9" });

        Assert.Equal("220 mx.test ESMTP MailIngest 9.9\r\n", driver.Wire);
        Assert.False(driver.Session.Closed);
    }

    [Fact]
    public void Start_when_not_accepting_sends_421_4_3_2_and_closes()
    {
        var driver = new SmtpTestDriver(start: false);

        driver.Record(driver.Session.Start(Admission.Draining));

        Assert.Equal("421 4.3.2 mx.test Service shutting down\r\n", driver.Wire);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Ehlo_lists_extensions_with_size_and_no_enhanced_codes()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = "mx.test", MaxMessageBytes = 12345 });

        driver.Send("EHLO client.test\r\n");

        Assert.Equal(
            "250-mx.test Hello client.test\r\n250-PIPELINING\r\n250-SIZE 12345\r\n250-8BITMIME\r\n250-CHUNKING\r\n"
            + "250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250 HELP\r\n",
            driver.Wire[driver.Wire.IndexOf("250", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Helo_gets_single_line_250()
    {
        var driver = new SmtpTestDriver();

        driver.Send("HELO client.test\r\n");

        Assert.Equal("250 mx.test Hello client.test\r\n", driver.Wire[driver.Wire.IndexOf("250", StringComparison.Ordinal)..]);
    }

    [Theory]
    [InlineData("EHLO")]
    [InlineData("HELO")]
    public void Hello_with_a_long_name_gets_reply_lines_of_at_most_512_octets(string verb)
    {
        // Found by the core fuzzer: the reply echoes the name, and a 990-octet name made a 1000-octet line.
        var driver = new SmtpTestDriver();

        driver.Send($"{verb} {new string('n', 990)}\r\n");

        Assert.Equal(250, driver.Replies[^1].Code);
        Assert.All(driver.Wire.Split("\r\n"), line => Assert.InRange(line.Length + 2, 2, 512));
    }

    [Theory]
    [InlineData("EHLO\r\n")]
    [InlineData("EHLO   \r\n")]
    [InlineData("HELO\r\n")]
    public void Hello_without_domain_gets_501_5_5_4(string line)
    {
        var driver = new SmtpTestDriver();

        driver.Send(line);

        Assert.Equal("501 5.5.4", driver.LastCode);
    }

    [Fact]
    public void Commands_are_case_insensitive()
    {
        var driver = new SmtpTestDriver();

        driver.Send("eHlO client.test\r\nmail from:<a@b.test>\r\nrcpt to:<c@d.test>\r\nnoop\r\n");

        Assert.Equal(["220", "250", "250 2.1.0", "250 2.1.5", "250 2.0.0"], driver.Codes);
    }

    [Fact]
    public void Second_ehlo_resets_the_transaction()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("EHLO again.test\r\nRCPT TO:<x@mx.test>\r\n");

        Assert.Equal(["250", "503 5.5.1"], driver.Codes);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Helo_after_mail_resets_the_transaction()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("HELO again.test\r\nDATA\r\n");

        Assert.Equal(["250", "503 5.5.1"], driver.Codes);
    }

    [Fact]
    public void Feed_after_refused_start_consumes_everything()
    {
        var driver = new SmtpTestDriver(start: false);
        driver.Session.Start(Admission.Draining);

        var result = driver.Session.Feed("EHLO c\r\n"u8.ToArray());

        Assert.Equal(8, result.Consumed);
        Assert.Empty(result.Effects);
    }
}
