using System.Text;
using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>RFC 2920 and split input: the result must not depend on how bytes arrive.</summary>
public sealed class PipeliningTests
{
    private const string Dialogue =
        "EHLO client.test\r\n"
        + "MAIL FROM:<alice@sender.test> SIZE=80 BODY=8BITMIME\r\n"
        + "RCPT TO:<bob@mx.test>\r\n"
        + "RCPT TO:<carol@mx.test>\r\n"
        + "DATA\r\n"
        + "Subject: test\r\n"
        + "\r\n"
        + "..dot line\r\n"
        + "bare\rcr\r\n"
        + ".\r\n"
        + "QUIT\r\n";

    private static readonly byte[] DialogueBytes = Encoding.ASCII.GetBytes(Dialogue);

    public static TheoryData<int> SplitPoints()
    {
        var data = new TheoryData<int>();
        for (var i = 1; i < Dialogue.Length; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void Pipelined_batch_is_answered_in_order()
    {
        var driver = new SmtpTestDriver().Send("EHLO c\r\n");

        var batch = "MAIL FROM:<a@b.test>\r\nRCPT TO:<x@mx.test>\r\nRCPT TO:<bad>\r\nRCPT TO:<y@mx.test>\r\nNOOP\r\n"u8.ToArray();

        var result = driver.Session.Feed(batch);

        var codes = result.Effects.OfType<SendReply>().Select(r => $"{r.Reply.Code} {r.Reply.EnhancedCode}");
        Assert.Equal(["250 2.1.0", "250 2.1.5", "501 5.1.3", "250 2.1.5", "250 2.0.0"], codes);
        Assert.Equal(batch.Length, result.Consumed);
    }

    [Fact]
    public void Whole_dialogue_fed_at_once_gives_expected_replies_and_content()
    {
        var driver = new SmtpTestDriver();

        driver.Feed(DialogueBytes);

        Assert.Equal(["220", "250", "250 2.1.0", "250 2.1.5", "250 2.1.5", "354", "250 2.0.0", "221 2.0.0"], driver.Codes);
        Assert.Equal("Subject: test\r\n\r\n.dot line\r\nbare\rcr\r\n", driver.DeliveredText());
        Assert.True(driver.Session.Closed);
    }

    [Theory]
    [MemberData(nameof(SplitPoints))]
    public void Dialogue_split_in_two_at_any_point_matches_feeding_at_once(int split)
    {
        var expected = new SmtpTestDriver().Feed(DialogueBytes);
        var driver = new SmtpTestDriver();

        driver.Feed(DialogueBytes[..split]).Feed(DialogueBytes[split..]);

        Assert.Equal(expected.Wire, driver.Wire);
        Assert.Equal(expected.Delivered, driver.Delivered);
        Assert.Equal(0, driver.PendingBytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(1234)]
    [InlineData(99999)]
    public void Dialogue_in_random_chunks_matches_feeding_at_once(int seed)
    {
        var expected = new SmtpTestDriver().Feed(DialogueBytes);
        var random = new Random(seed);

        for (var run = 0; run < 50; run++)
        {
            var driver = new SmtpTestDriver();
            var sizes = Enumerable.Range(0, DialogueBytes.Length).Select(_ => random.Next(0, 8)).ToArray();

            driver.FeedInChunks(DialogueBytes, sizes);

            Assert.Equal(expected.Wire, driver.Wire);
            Assert.Equal(expected.Delivered, driver.Delivered);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    public void Smuggling_dialogue_in_random_chunks_is_always_rejected(int seed)
    {
        var bytes = Encoding.ASCII.GetBytes(
            "EHLO c\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<b@mx.test>\r\nDATA\r\nx\n.\r\nMAIL FROM:<e@evil.test>\r\n.\r\nQUIT\r\n");
        var random = new Random(seed);

        for (var run = 0; run < 50; run++)
        {
            var driver = new SmtpTestDriver();

            driver.FeedInChunks(bytes, Enumerable.Range(0, bytes.Length).Select(_ => random.Next(0, 5)));

            Assert.Equal(["220", "250", "250 2.1.0", "250 2.1.5", "354", "550 5.5.2", "221 2.0.0"], driver.Codes);
            Assert.Empty(driver.Delivered);
        }
    }

    [Fact]
    public void Large_message_fed_byte_by_byte_is_delivered_intact()
    {
        var content = string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i} .{(i % 3 == 0 ? "\r\n." : string.Empty)}x\r\n"));
        var stuffed = content.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        var bytes = Encoding.ASCII.GetBytes($"DATA\r\n{stuffed}.\r\n");
        var driver = new SmtpTestDriver().ReadyForData();

        driver.FeedInChunks(bytes, Enumerable.Repeat(1, bytes.Length));

        Assert.Equal(content, driver.DeliveredText());
        Assert.Equal("250 2.0.0", driver.LastCode);
    }

    [Fact]
    public void Feed_with_empty_input_consumes_nothing()
    {
        var driver = new SmtpTestDriver();

        var result = driver.Session.Feed(ReadOnlyMemory<byte>.Empty);

        Assert.Equal(0, result.Consumed);
        Assert.Empty(result.Effects);
    }

    [Fact]
    public void Effects_of_data_arrive_in_order()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\na\r\n.\r\n");

        Assert.Collection(
            driver.Effects,
            e => Assert.IsType<SendReply>(e),
            e => Assert.IsType<BeginMessage>(e),
            e => Assert.IsType<AppendMessage>(e),
            e => Assert.IsType<EndMessage>(e),
            e => Assert.IsType<SendReply>(e));
    }
}
