using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

public sealed class DataTests
{
    private static SmtpOptions Limit(long bytes) => new() { HostName = SmtpTestDriver.Host, MaxMessageBytes = bytes };

    [Fact]
    public void Data_after_mail_without_rcpt_gets_503_5_5_1()
    {
        var driver = new SmtpTestDriver().Send("EHLO c\r\nMAIL FROM:<a@b.test>\r\n");

        driver.Send("DATA\r\n");

        Assert.Equal("503 5.5.1", driver.LastCode);
    }

    [Fact]
    public void Data_with_argument_gets_501_5_5_4()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA now\r\n");

        Assert.Equal(["501 5.5.4"], driver.Codes);
    }

    [Fact]
    public void Data_gets_354_without_enhanced_code_and_begins_message()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\n");

        Assert.Equal("354 Start mail input; end with <CRLF>.<CRLF>\r\n", driver.Wire);
        Assert.IsType<BeginMessage>(driver.Effects[^1]);
        Assert.Equal(driver.Options.DataBlockTimeout, driver.Session.Timeout);
    }

    [Fact]
    public void Message_content_ends_with_crlf_and_excludes_terminator()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\nSubject: hi\r\n\r\nbody\r\n.\r\n");

        Assert.Equal("Subject: hi\r\n\r\nbody\r\n", driver.DeliveredText());
        Assert.Equal(["354", "250 2.0.0"], driver.Codes);
    }

    [Fact]
    public void Dot_first_line_right_after_354_ends_an_empty_message()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\n.\r\n");

        Assert.Equal(string.Empty, driver.DeliveredText());
        Assert.Single(driver.Effects, e => e is EndMessage);
    }

    [Theory]
    [InlineData("..leading\r\n.\r\n", ".leading\r\n")]
    [InlineData("a\r\n..\r\n.\r\n", "a\r\n.\r\n")]
    [InlineData("a\r\n...\r\nb\r\n.\r\n", "a\r\n..\r\nb\r\n")]
    [InlineData("a.b\r\n. x\r\n.\r\n", "a.b\r\n x\r\n")]
    [InlineData("x\r\n..\r\n..\r\n.\r\n", "x\r\n.\r\n.\r\n")]
    public void Leading_dot_is_removed(string content, string expected)
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\n" + content);

        Assert.Equal(expected, driver.DeliveredText());
    }

    [Fact]
    public void Content_is_emitted_as_slices_of_the_fed_input()
    {
        var session = new SmtpTestDriver().ReadyForData().Session;
        session.Feed("DATA\r\n"u8.ToArray());
        var input = new ReadOnlyMemory<byte>("hello\r\nworld\r\n.\r\n"u8.ToArray());

        var result = session.Feed(input);

        var append = Assert.Single(result.Effects.OfType<AppendMessage>());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(append.Content, out var segment));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(input, out var original));
        Assert.Same(original.Array, segment.Array);
        Assert.Equal(14, segment.Count);
    }

    [Theory]
    [InlineData("abc\r")]
    [InlineData("abc\r\n.")]
    [InlineData("abc\r\n.\r")]
    public void Possible_terminator_start_is_left_unconsumed(string content)
    {
        var session = new SmtpTestDriver().ReadyForData().Session;
        session.Feed("DATA\r\n"u8.ToArray());

        var result = session.Feed(System.Text.Encoding.ASCII.GetBytes(content));

        Assert.True(result.Consumed < content.Length);
        Assert.True(result.Consumed >= 3);
        Assert.DoesNotContain(result.Effects, e => e is EndMessage);
    }

    [Fact]
    public void Pipelined_commands_after_end_of_data_wait_for_delivery()
    {
        var driver = new SmtpTestDriver().ReadyForData();
        driver.AutoDeliver = null;

        driver.Send("DATA\r\nbody\r\n.\r\nNOOP\r\n");

        Assert.True(driver.Session.AwaitingDelivery);
        Assert.Equal(6, driver.PendingBytes);
        Assert.Equal(["354"], driver.Codes);
        Assert.IsType<EndMessage>(driver.Effects[^1]);
    }

    [Fact]
    public void Awaiting_delivery_consumes_nothing()
    {
        var driver = new SmtpTestDriver().ReadyForData();
        driver.AutoDeliver = null;
        driver.Send("DATA\r\nbody\r\n.\r\n");

        var result = driver.Session.Feed("NOOP\r\n"u8.ToArray());

        Assert.Equal(0, result.Consumed);
        Assert.Empty(result.Effects);
    }

    [Fact]
    public void Message_over_limit_reads_to_end_then_552_5_3_4()
    {
        var driver = new SmtpTestDriver(Limit(10)).ReadyForData();

        driver.Send("DATA\r\n0123456789\r\nmore\r\n..stuffed\r\n.\r\nNOOP\r\n");

        Assert.Equal(["354", "552 5.3.4", "250 2.0.0"], driver.Codes);
        Assert.Single(driver.Effects, e => e is DiscardMessage);
        Assert.Empty(driver.Delivered);
        Assert.False(driver.Session.InTransaction);
    }

    [Fact]
    public void Message_exactly_at_limit_is_delivered()
    {
        var driver = new SmtpTestDriver(Limit(10)).ReadyForData();

        driver.Send("DATA\r\n01234567\r\n.\r\n");

        Assert.Equal(["354", "250 2.0.0"], driver.Codes);
        Assert.Equal(10, driver.Delivered[0].Length);
    }

    [Fact]
    public void Size_counts_unstuffed_octets()
    {
        var driver = new SmtpTestDriver(Limit(10)).ReadyForData();

        driver.Send("DATA\r\n..234567\r\n.\r\n");

        Assert.Equal(["354", "250 2.0.0"], driver.Codes);
    }

    [Fact]
    public void Message_over_limit_stops_emitting_content()
    {
        var driver = new SmtpTestDriver(Limit(10)).ReadyForData();

        driver.Send("DATA\r\n");
        for (var i = 0; i < 100; i++)
        {
            driver.Send("0123456789\r\n");
        }

        driver.Send(".\r\n");

        Assert.True(driver.Discarded[0].Length <= 10);
        Assert.Equal("552 5.3.4", driver.LastCode);
    }

    [Fact]
    public void Session_accepts_another_transaction_after_rejected_message()
    {
        var driver = new SmtpTestDriver(Limit(5)).ReadyForData();

        driver.Send("DATA\r\ntoo long\r\n.\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<b@mx.test>\r\nDATA\r\nok\r\n.\r\n");

        Assert.Equal(["354", "552 5.3.4", "250 2.1.0", "250 2.1.5", "354", "250 2.0.0"], driver.Codes);
        Assert.Equal("ok\r\n", driver.DeliveredText());
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Data_holds_back_at_most_two_bytes_whatever_the_chunking(int seed)
    {
        var random = new Random(seed);
        var content = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => $"l{i}\r\n.{i}\r\n\r")) + "\r\n.\r\n");
        var driver = new SmtpTestDriver().ReadyForData().Send("DATA\r\n");
        var offset = 0;

        while (offset < content.Length)
        {
            var take = Math.Min(random.Next(1, 9), content.Length - offset);
            driver.Feed(content[offset..(offset + take)]);
            offset += take;
            Assert.InRange(driver.PendingBytes, 0, 2);
        }

        Assert.Equal("250 2.0.0", driver.LastCode);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Too_large_message_in_random_chunks_gives_same_replies(int seed)
    {
        var options = Limit(50);
        var bytes = System.Text.Encoding.ASCII.GetBytes(
            "DATA\r\n" + string.Concat(Enumerable.Repeat("0123456789\r\n", 20)) + ".\r\nNOOP\r\n");
        var expected = new SmtpTestDriver(options).ReadyForData().Feed(bytes);
        var random = new Random(seed);

        for (var run = 0; run < 30; run++)
        {
            var driver = new SmtpTestDriver(options).ReadyForData();

            driver.FeedInChunks(bytes, Enumerable.Range(0, bytes.Length).Select(_ => random.Next(0, 6)));

            Assert.Equal(expected.Wire, driver.Wire);
            Assert.Equal(["354", "552 5.3.4", "250 2.0.0"], driver.Codes);
        }
    }
}
