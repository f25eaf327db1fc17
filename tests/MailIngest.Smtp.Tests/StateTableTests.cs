using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>Commands outside the RFC 5321 §4.1.4 sequence get 503 5.5.1 in every state.</summary>
public sealed class StateTableTests
{
    private const string Greet = "EHLO c\r\n";
    private const string Mail = "MAIL FROM:<a@b.test>\r\n";
    private const string Rcpt = "RCPT TO:<b@mx.test>\r\n";

    [Theory]
    [InlineData("", "MAIL FROM:<a@b.test>")]
    [InlineData("", "RCPT TO:<b@mx.test>")]
    [InlineData("", "DATA")]
    [InlineData(Greet, "RCPT TO:<b@mx.test>")]
    [InlineData(Greet, "DATA")]
    [InlineData(Greet + Mail, "MAIL FROM:<a@b.test>")]
    [InlineData(Greet + Mail, "DATA")]
    [InlineData(Greet + Mail + Rcpt, "MAIL FROM:<a@b.test>")]
    public void Command_out_of_sequence_gets_503_5_5_1(string setup, string command)
    {
        var driver = new SmtpTestDriver().Send(setup);

        driver.Send(command + "\r\n");

        Assert.Equal("503 5.5.1", driver.LastCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(Greet)]
    [InlineData(Greet + Mail)]
    [InlineData(Greet + Mail + Rcpt)]
    public void Session_commands_are_allowed_in_every_state(string setup)
    {
        var driver = new SmtpTestDriver().Send(setup);
        var before = driver.Replies.Count;

        driver.Send("NOOP\r\nVRFY x\r\nHELP\r\nRSET\r\nQUIT\r\n");

        Assert.Equal(["250 2.0.0", "252 2.5.0", "214 2.0.0", "250 2.0.0", "221 2.0.0"], driver.Codes.Skip(before));
    }

    [Fact]
    public void Rejected_command_keeps_the_transaction()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxCommandLineBytes = 40 })
            .Send(Greet + Mail + Rcpt);

        driver.Send($"NOOP {new string('x', 100)}\r\nFOO\r\nDATA\r\nx\r\n.\r\n");

        Assert.Equal(["500 5.5.2", "500 5.5.2", "354", "250 2.0.0"], driver.Codes.Skip(4));
    }
}
