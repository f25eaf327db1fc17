using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class CommandTests
{
    [Fact]
    public void Noop_gets_250_2_0_0_Ok()
    {
        var driver = new SmtpTestDriver();

        driver.Send("NOOP\r\n");

        Assert.Equal("250 2.0.0 Ok\r\n", driver.Wire[driver.Wire.IndexOf("250", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Rset_gets_250_2_0_0_and_ends_the_transaction()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("RSET\r\nDATA\r\nMAIL FROM:<a@b.test>\r\n");

        Assert.Equal(["250 2.0.0", "503 5.5.1", "250 2.1.0"], driver.Codes);
    }

    [Fact]
    public void Vrfy_gets_252_2_5_0()
    {
        var driver = new SmtpTestDriver();

        driver.Send("VRFY someone\r\n");

        Assert.Equal("252 2.5.0", driver.LastCode);
    }

    [Fact]
    public void Help_gets_214_with_command_list()
    {
        var driver = new SmtpTestDriver();

        driver.Send("HELP\r\n");

        Assert.Equal("214 2.0.0", driver.LastCode);
        Assert.Contains("EHLO", driver.Replies[^1].Lines[0], StringComparison.Ordinal);
        Assert.Contains("DATA", driver.Replies[^1].Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Help_status_from_trusted_peer_gets_211_with_status_lines()
    {
        var driver = new SmtpTestDriver(trusted: true, status: ["node-1 up", "members 3"]);

        driver.Send("HELP STATUS\r\n");

        Assert.EndsWith("211-2.0.0 node-1 up\r\n211 2.0.0 members 3\r\n", driver.Wire, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_status_from_untrusted_peer_gets_plain_214()
    {
        var driver = new SmtpTestDriver(trusted: false);

        driver.Send("help status\r\n");

        Assert.Equal("214 2.0.0", driver.LastCode);
        Assert.DoesNotContain("node-1", driver.Wire, StringComparison.Ordinal);
    }

    [Fact]
    public void Quit_before_ehlo_gets_221_and_closes()
    {
        var driver = new SmtpTestDriver();

        driver.Send("QUIT\r\n");

        Assert.EndsWith("221 2.0.0 mx.test closing connection\r\n", driver.Wire, StringComparison.Ordinal);
        Assert.IsType<CloseConnection>(driver.Effects[^1]);
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void Quit_in_transaction_closes()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("QUIT\r\n");

        Assert.Equal(["221 2.0.0"], driver.Codes);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Feed_after_close_consumes_everything_and_emits_nothing()
    {
        var driver = new SmtpTestDriver();
        driver.Send("QUIT\r\n");

        var result = driver.Session.Feed("NOOP\r\nNOOP\r\n"u8.ToArray());

        Assert.Equal(12, result.Consumed);
        Assert.Empty(result.Effects);
    }

    [Fact]
    public void Commands_after_quit_in_same_feed_are_swallowed()
    {
        var driver = new SmtpTestDriver();

        driver.Send("QUIT\r\nNOOP\r\n");

        Assert.Equal(["220", "221 2.0.0"], driver.Codes);
        Assert.Equal(0, driver.PendingBytes);
    }

    [Theory]
    [InlineData("FOO\r\n")]
    [InlineData("MAILX FROM:<a@b>\r\n")]
    public void Unknown_command_gets_500_5_5_2(string line)
    {
        var driver = new SmtpTestDriver();

        driver.Send(line);

        Assert.Equal("500 5.5.2", driver.LastCode);
    }

    [Fact]
    public void Empty_line_gets_500_5_5_2()
    {
        var driver = new SmtpTestDriver();

        driver.Send("\r\n");

        Assert.Equal("500 5.5.2", driver.LastCode);
    }

    [Theory]
    [InlineData("NO\0OP\r\n")]
    [InlineData("NOOP \0\r\n")]
    [InlineData("NOOP é\r\n")]
    [InlineData("EHLO é.test\r\n")]
    [InlineData("NOOP\rQUIT\r\n")]
    public void Nul_control_or_non_ascii_in_command_gets_500_5_5_2(string line)
    {
        var driver = new SmtpTestDriver();

        driver.Send(line);

        Assert.Equal("500 5.5.2", driver.LastCode);
        Assert.False(driver.Session.Closed);
    }

    [Fact]
    public void Invalid_utf8_in_mail_gets_500_5_5_2()
    {
        var driver = new SmtpTestDriver();
        driver.Send("EHLO c\r\n");

        driver.Feed([.. "MAIL FROM:<a"u8, 0xFF, .. "@b.test> SMTPUTF8\r\n"u8]);

        Assert.Equal("500 5.5.2", driver.LastCode);
    }

    [Theory]
    [InlineData("MAIL FROM:<a@b.test>\r\n")]
    [InlineData("RCPT TO:<a@b.test>\r\n")]
    [InlineData("DATA\r\n")]
    public void Transaction_commands_before_ehlo_get_503_5_5_1(string line)
    {
        var driver = new SmtpTestDriver();

        driver.Send(line);

        Assert.Equal("503 5.5.1", driver.LastCode);
    }

    [Fact]
    public void Rset_before_ehlo_keeps_mail_forbidden()
    {
        var driver = new SmtpTestDriver();

        driver.Send("RSET\r\nMAIL FROM:<a@b.test>\r\n");

        Assert.Equal(["220", "250 2.0.0", "503 5.5.1"], driver.Codes);
    }
}
