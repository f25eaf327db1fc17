using MailIngest.Smtp.Parsing;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Reader_returns_need_more_when_line_is_incomplete()
    {
        var status = CommandLineReader.Read("NOOP\r"u8, 1000, out _);

        Assert.Equal(LineStatus.NeedMore, status);
    }

    [Fact]
    public void Reader_returns_too_long_without_lf_within_cap()
    {
        var status = CommandLineReader.Read("NOOP 123456"u8, 10, out _);

        Assert.Equal(LineStatus.TooLong, status);
    }

    [Fact]
    public void Reader_accepts_line_of_exactly_the_cap_including_crlf()
    {
        var status = CommandLineReader.Read("NOOP 1234\r\n"u8, 11, out var length);

        Assert.Equal(LineStatus.Complete, status);
        Assert.Equal(11, length);
    }

    [Fact]
    public void Reader_does_not_look_past_the_cap_for_lf()
    {
        var status = CommandLineReader.Read("NOOP 12345\r\n"u8, 11, out _);

        Assert.Equal(LineStatus.TooLong, status);
    }

    [Fact]
    public void Incomplete_command_is_not_consumed()
    {
        var driver = new SmtpTestDriver();

        var result = driver.Session.Feed("NOOP\r"u8.ToArray());

        Assert.Equal(0, result.Consumed);
        Assert.Empty(result.Effects);
    }

    [Fact]
    public void Long_command_line_gets_500_5_5_2_after_its_crlf_and_session_continues()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxCommandLineBytes = 64 });

        driver.Send($"NOOP {new string('x', 200)}\r\nNOOP\r\n");

        Assert.Equal(["220", "500 5.5.2", "250 2.0.0"], driver.Codes);
        Assert.Equal("Line too long", driver.Replies[1].Lines[0]);
    }

    [Fact]
    public void Long_command_line_is_consumed_as_it_arrives_not_buffered()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxCommandLineBytes = 64 });

        for (var i = 0; i < 100; i++)
        {
            driver.Send(new string('x', 50));
            Assert.True(driver.PendingBytes < 64);
        }

        Assert.Equal(["220"], driver.Codes);
        driver.Send("\r\nNOOP\r\n");
        Assert.Equal(["220", "500 5.5.2", "250 2.0.0"], driver.Codes);
    }

    [Fact]
    public void Line_of_exactly_max_bytes_is_accepted()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxCommandLineBytes = 20 });

        driver.Send("NOOP 1234567890123\r\n");

        Assert.Equal("250 2.0.0", driver.LastCode);
    }

    [Fact]
    public void Line_one_byte_over_max_gets_500_5_5_2()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxCommandLineBytes = 20 });

        driver.Send("NOOP 12345678901234\r\n");

        Assert.Equal("500 5.5.2", driver.LastCode);
    }

    [Fact]
    public void Command_line_ended_by_bare_lf_is_rejected_with_500_5_5_2()
    {
        var driver = new SmtpTestDriver();

        driver.Send("EHLO client.test\nNOOP\r\n");

        Assert.Equal(["220", "500 5.5.2", "250 2.0.0"], driver.Codes);
        Assert.Equal("Line must end with CRLF", driver.Replies[1].Lines[0]);
    }
}
