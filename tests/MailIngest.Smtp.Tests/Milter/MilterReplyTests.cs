using System.Text;
using MailIngest.Smtp.Milter;

namespace MailIngest.Smtp.Tests.Milter;

public sealed class MilterReplyTests
{
    private static MilterReply Parse(char command, string data = "") => MilterReply.Parse((byte)command, Encoding.UTF8.GetBytes(data));

    [Fact]
    public void Negotiation_reply_gives_version_actions_and_steps()
    {
        var reply = MilterReply.Parse((byte)'O', [0, 0, 0, 6, 0, 0, 0, 0x31, 0, 0, 0x10, 0]);

        Assert.Equal(new MilterReply.Negotiated(6, MilterActions.AddHeaders | MilterActions.ChangeHeaders | MilterActions.Quarantine,
            MilterProtocol.NoConnectReply), reply);
    }

    [Theory]
    [InlineData('c', typeof(MilterReply.Continue))]
    [InlineData('a', typeof(MilterReply.Accept))]
    [InlineData('r', typeof(MilterReply.Reject))]
    [InlineData('t', typeof(MilterReply.TempFail))]
    [InlineData('d', typeof(MilterReply.Discard))]
    [InlineData('s', typeof(MilterReply.Skip))]
    [InlineData('p', typeof(MilterReply.Progress))]
    public void One_letter_decisions(char command, Type expected)
    {
        Assert.IsType(expected, Parse(command));
    }

    [Fact]
    public void Header_changes_carry_index_name_and_value()
    {
        var insert = MilterReply.Parse((byte)'i', [0, 0, 0, 1, .. "X-A\0v\0"u8]);
        var change = MilterReply.Parse((byte)'m', [0, 0, 0, 2, .. "Subject\0\0"u8]);

        Assert.Equal(new MilterReply.InsertHeader(1, "X-A", "v"), insert);
        Assert.Equal(new MilterReply.ChangeHeader(2, "Subject", ""), change);
        Assert.Equal(new MilterReply.AddHeader("X-Spam-Status", "No, score=0.1"), Parse('h', "X-Spam-Status\0No, score=0.1\0"));
    }

    [Fact]
    public void Envelope_changes_and_quarantine()
    {
        Assert.Equal(new MilterReply.AddRecipient("<c@d>"), Parse('+', "<c@d>\0"));
        Assert.Equal(new MilterReply.AddRecipient("<c@d>"), Parse('2', "<c@d>\0NOTIFY=NEVER\0"));
        Assert.Equal(new MilterReply.DeleteRecipient("<c@d>"), Parse('-', "<c@d>\0"));
        Assert.Equal(new MilterReply.ChangeSender("<s@d>"), Parse('e', "<s@d>\0"));
        Assert.Equal(new MilterReply.Quarantine("spam"), Parse('q', "spam\0"));
    }

    [Fact]
    public void Reply_code_becomes_an_smtp_reply()
    {
        var reply = Assert.IsType<MilterReply.ReplyCode>(Parse('y', "554 5.7.1 Spam detected\0"));

        Assert.Equal("554 5.7.1 Spam detected\r\n", Encoding.ASCII.GetString(reply.Reply.ToWire()));
    }

    [Theory]
    [InlineData('y', "250 2.0.0 fine\0")]
    [InlineData('y', "no code\0")]
    [InlineData('h', ":bad\0v\0")]
    [InlineData('h', "X-A\0no terminator")]
    [InlineData('h', "X-A\0")]
    [InlineData('+', "")]
    [InlineData('b', "new body")]
    [InlineData('Z', "")]
    [InlineData('O', "short")]
    public void Anything_else_is_invalid_never_an_exception(char command, string data)
    {
        Assert.IsType<MilterReply.Invalid>(Parse(command, data));
    }
}
