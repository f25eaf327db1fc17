using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>SMTP smuggling (CVE-2023-51764 and relatives): only &lt;CRLF&gt;.&lt;CRLF&gt; ends DATA.</summary>
public sealed class SmugglingTests
{
    // Each vector is followed by a smuggled command; the real end of data comes after it.
    [Theory]
    [InlineData("a\n.\nMAIL FROM:<x@evil.test>\r\n")]
    [InlineData("a\r\n.\nMAIL FROM:<x@evil.test>\r\n")]
    [InlineData("a\n.\r\nMAIL FROM:<x@evil.test>\r\n")]
    [InlineData("a\n..\r\nb\r\n")]
    [InlineData("\n.\r\nb\r\n")]
    public void Vector_with_bare_lf_does_not_end_message_and_is_rejected_with_550_5_5_2(string content)
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\n" + content + ".\r\nNOOP\r\n");

        Assert.Equal(["354", "550 5.5.2", "250 2.0.0"], driver.Codes);
        Assert.Single(driver.Effects, e => e is DiscardMessage);
        Assert.Empty(driver.Delivered);
        Assert.Equal("Bare LF not allowed in message content", driver.Replies[1].Lines[0]);
    }

    [Theory]
    [InlineData("a\r.\r\nMAIL FROM:<x@evil.test>\r\n", "a\r.\r\nMAIL FROM:<x@evil.test>\r\n")]
    [InlineData("a\r\n.\rMAIL FROM:<x@evil.test>\r\n", "a\r\n\rMAIL FROM:<x@evil.test>\r\n")]
    [InlineData("a\r\n.\r.\r\n", "a\r\n\r.\r\n")]
    public void Vector_with_bare_cr_does_not_end_message_and_passes_as_content(string content, string expected)
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\n" + content + ".\r\n");

        Assert.Equal(["354", "250 2.0.0"], driver.Codes);
        Assert.Equal(expected, driver.DeliveredText());
        Assert.Single(driver.Envelopes);
    }

    [Fact]
    public void Bare_lf_split_across_feeds_is_still_detected()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\nabc").Send("\n.").Send("\r\n").Send("x\r\n.\r\n");

        Assert.Equal(["354", "550 5.5.2"], driver.Codes);
    }

    [Fact]
    public void Crlf_split_across_feeds_is_not_a_bare_lf()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\nabc\r").Send("\n.").Send("\r").Send("\n");

        Assert.Equal(["354", "250 2.0.0"], driver.Codes);
        Assert.Equal("abc\r\n", driver.DeliveredText());
    }

    [Fact]
    public void Bare_lf_after_message_is_too_large_is_reported_as_bare_lf()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxMessageBytes = 3 }).ReadyForData();

        driver.Send("DATA\r\n0123456789\r\nx\ny\r\n.\r\n");

        Assert.Equal(["354", "550 5.5.2"], driver.Codes);
    }
}
