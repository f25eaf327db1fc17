using System.Text;
using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>BDAT (RFC 3030 CHUNKING): counted chunks, same size limit and 250-after-delivery rule as DATA.</summary>
public sealed class ChunkingTests
{
    private const string Message = "Subject: chunks\r\n\r\nline one\r\n.\r\nstill content, not an end\r\n";

    [Fact]
    public void One_last_chunk_is_delivered_byte_for_byte_and_answered_after_delivery()
    {
        var driver = new SmtpTestDriver { AutoDeliver = null }.ReadyForData();

        driver.Send($"BDAT {Message.Length} LAST\r\n{Message}");

        Assert.True(driver.Session.AwaitingDelivery);
        Assert.Empty(driver.Replies);
        Assert.Equal(Message, driver.DeliveredText());
        driver.Record(driver.Session.DeliveryCompleted(new DeliveryOutcome.Accepted("Q7")));
        Assert.Equal(["250 2.0.0"], driver.Codes);
    }

    [Fact]
    public void Chunks_are_acknowledged_with_their_size_and_joined_and_BDAT_0_LAST_ends_the_message()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("BDAT 10\r\nSubject: aBDAT 8\r\n\r\nbody\r\nBDAT 0 LAST\r\n");

        Assert.Equal(["250 2.0.0", "250 2.0.0", "250 2.0.0"], driver.Codes);
        Assert.StartsWith("250 2.0.0 10 octets received", driver.Wire, StringComparison.Ordinal);
        Assert.Equal("Subject: a\r\nbody\r\n", driver.DeliveredText());
        Assert.Single(driver.Effects, effect => effect is BeginMessage);
    }

    [Fact]
    public void Chunk_octets_split_at_every_position_give_the_same_message()
    {
        var input = Encoding.ASCII.GetBytes($"BDAT {Message.Length} LAST\r\n{Message}NOOP\r\n");
        for (var split = 1; split < input.Length; split++)
        {
            var driver = new SmtpTestDriver().ReadyForData();

            driver.FeedInChunks(input, [split]);

            Assert.Equal(Message, driver.DeliveredText());
            Assert.Equal(["250 2.0.0", "250 2.0.0"], driver.Codes);
        }
    }

    [Fact]
    public void A_BDAT_out_of_sequence_still_consumes_its_octets_so_they_cannot_pose_as_commands()
    {
        var driver = new SmtpTestDriver();
        driver.Send("EHLO c.test\r\n");

        driver.Send("BDAT 6\r\nQUIT\r\nNOOP\r\n");

        Assert.Equal(["220", "250", "503 5.5.1", "250 2.0.0"], driver.Codes);
        Assert.False(driver.Session.Closed);
        Assert.DoesNotContain(driver.Effects, effect => effect is BeginMessage);
    }

    [Fact]
    public void DATA_after_a_chunk_is_a_bad_sequence_and_so_is_RCPT()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("BDAT 3\r\nabcDATA\r\nRCPT TO:<c@mx.test>\r\n");

        Assert.Equal(["250 2.0.0", "503 5.5.1", "503 5.5.1"], driver.Codes);
    }

    [Fact]
    public void BDAT_after_DATA_needs_a_new_transaction()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("DATA\r\nSubject: d\r\n\r\nx\r\n.\r\nBDAT 1 LAST\r\ny");

        Assert.Equal(["354", "250 2.0.0", "503 5.5.1"], driver.Codes);
        Assert.Single(driver.Delivered);
    }

    [Fact]
    public void Chunks_over_the_size_limit_are_read_then_refused_with_552_and_the_message_is_dropped()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, MaxMessageBytes = 10 }).ReadyForData();

        driver.Send("BDAT 6\r\n123456BDAT 6\r\n789012BDAT 2 LAST\r\nabNOOP\r\n");

        Assert.Equal(["250 2.0.0", "552 5.3.4", "503 5.5.1", "250 2.0.0"], driver.Codes);
        Assert.Empty(driver.Delivered);
        Assert.Equal("123456", Encoding.ASCII.GetString(driver.Discarded.Single()));
    }

    [Fact]
    public void A_BDAT_size_that_cannot_be_read_gets_501_and_closes_because_the_chunk_end_is_unknown()
    {
        foreach (var command in new[] { "BDAT\r\n", "BDAT x\r\n", "BDAT -1\r\n", "BDAT 5 FIRST\r\n", "BDAT 9999999999999999999\r\n" })
        {
            var driver = new SmtpTestDriver().ReadyForData();

            driver.Send(command + "RSET\r\n");

            Assert.Equal(["501 5.5.4"], driver.Codes);
            Assert.True(driver.Session.Closed, command);
        }
    }

    [Fact]
    public void RSET_between_chunks_drops_what_arrived_and_a_new_transaction_works()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("BDAT 3\r\nabcRSET\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<b@mx.test>\r\nBDAT 3 LAST\r\nxyz");

        Assert.Equal(["250 2.0.0", "250 2.0.0", "250 2.1.0", "250 2.1.5", "250 2.0.0"], driver.Codes);
        Assert.Equal("abc", Encoding.ASCII.GetString(driver.Discarded.Single()));
        Assert.Equal("xyz", driver.DeliveredText());
    }

    [Fact]
    public void A_bare_line_feed_in_chunked_content_is_refused_at_the_last_chunk()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("BDAT 5\r\nab\r\ncBDAT 3 LAST\r\nd\ne");

        Assert.Equal(["250 2.0.0", "550 5.5.2"], driver.Codes);
        Assert.Empty(driver.Delivered);
        Assert.Single(driver.Discarded);
    }

    [Fact]
    public void A_carriage_return_ending_one_chunk_pairs_with_the_line_feed_starting_the_next()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("BDAT 4\r\nab\r\rBDAT 3 LAST\r\n\ncd");

        Assert.Equal(["250 2.0.0", "250 2.0.0"], driver.Codes);
        Assert.Equal("ab\r\r\ncd", driver.DeliveredText());
    }

    [Fact]
    public void Idle_timeout_mid_chunk_discards_the_message()
    {
        var driver = new SmtpTestDriver().ReadyForData();
        driver.Send("BDAT 10 LAST\r\nabc");
        Assert.Equal(driver.Options.DataBlockTimeout, driver.Session.Timeout);

        driver.Record(driver.Session.IdleTimeout());

        Assert.Equal("abc", Encoding.ASCII.GetString(driver.Discarded.Single()));
        Assert.True(driver.Session.Closed);
    }

    [Fact]
    public void QUIT_between_chunks_discards_the_message()
    {
        var driver = new SmtpTestDriver().ReadyForData();

        driver.Send("BDAT 2\r\nabQUIT\r\n");

        Assert.Equal(["250 2.0.0", "221 2.0.0"], driver.Codes);
        Assert.Equal("ab", Encoding.ASCII.GetString(driver.Discarded.Single()));
    }
}
