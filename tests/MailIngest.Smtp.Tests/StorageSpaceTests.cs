using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>A node short of storage refuses with 452 4.3.1 (RFC 5321 §4.2.3, RFC 3463 X.3.1), stores nothing, and takes mail again once it has room.</summary>
public sealed class StorageSpaceTests
{
    private const string Transaction = "MAIL FROM:<a@sender.test>\r\nRCPT TO:<x@mx.test>\r\n";

    [Fact]
    public void RCPT_without_room_gets_452_4_3_1_and_the_next_transaction_with_room_is_accepted()
    {
        var storage = new SwitchableStorage { HasRoom = false };
        var driver = new SmtpTestDriver(storage: storage).Send("EHLO c.test\r\n" + Transaction);

        Assert.Equal(["220", "250", "250 2.1.0", "452 4.3.1"], driver.Codes);
        Assert.EndsWith("452 4.3.1 Insufficient system storage\r\n", driver.Wire, StringComparison.Ordinal);

        storage.HasRoom = true;
        driver.Send("RSET\r\n" + Transaction + "DATA\r\nSubject: later\r\n\r\nbody\r\n.\r\n");

        Assert.Equal(["250 2.0.0", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0"], driver.Codes.Skip(4));
        Assert.Single(driver.Delivered);
    }

    [Fact]
    public void Refusals_for_storage_do_not_count_as_client_errors()
    {
        var storage = new SwitchableStorage { HasRoom = false };
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxErrors = 2 }, storage: storage);

        driver.Send("EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"RCPT TO:<r{i}@mx.test>\r\n")));

        Assert.Equal(5, driver.Codes.Count(code => code == "452 4.3.1"));
        Assert.False(driver.Session.Closed);
    }

    [Fact]
    public void Space_running_out_during_DATA_gets_452_4_3_1_at_the_end_and_nothing_is_delivered()
    {
        var storage = new SwitchableStorage();
        var driver = new SmtpTestDriver(storage: storage).Send("EHLO c.test\r\n" + Transaction + "DATA\r\nSubject: big\r\n\r\n");

        storage.HasRoom = false;
        driver.Send("body\r\n.\r\nNOOP\r\n");

        Assert.Equal(["354", "452 4.3.1", "250 2.0.0"], driver.Codes.Skip(4));
        Assert.Empty(driver.Delivered);
        Assert.IsType<DiscardMessage>(driver.Effects.Last(effect => effect is DiscardMessage or EndMessage));
    }

    [Fact]
    public void Space_running_out_during_BDAT_gets_452_4_3_1_for_the_last_chunk_and_nothing_is_delivered()
    {
        var storage = new SwitchableStorage();
        var driver = new SmtpTestDriver(storage: storage).Send("EHLO c.test\r\n" + Transaction + "BDAT 12\r\nSubject: x\r\n");

        storage.HasRoom = false;
        driver.Send("BDAT 8 LAST\r\n\r\nbody\r\nMAIL FROM:<a@sender.test>\r\n");

        Assert.Equal(["250 2.0.0", "452 4.3.1", "250 2.1.0"], driver.Codes.Skip(4));
        Assert.Empty(driver.Delivered);
    }
}
