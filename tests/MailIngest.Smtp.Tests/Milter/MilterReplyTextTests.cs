using System.Text;
using MailIngest.Smtp.Milter;

namespace MailIngest.Smtp.Tests.Milter;

public sealed class MilterReplyTextTests
{
    [Theory]
    [InlineData("550 5.7.1 Rejected by test milter", "550 5.7.1 Rejected by test milter\r\n")]
    [InlineData("451 4.7.1 Greylisted", "451 4.7.1 Greylisted\r\n")]
    [InlineData("554 Go away", "554 Go away\r\n")]
    [InlineData("550-5.7.1 first\r\n550 5.7.1 second", "550-5.7.1 first\r\n550 5.7.1 second\r\n")]
    public void A_4xx_or_5xx_reply_is_taken_as_given(string text, string wire)
    {
        Assert.Equal(wire, Encoding.ASCII.GetString(MilterReplyText.Parse(text)!.ToWire()));
    }

    [Theory]
    [InlineData("250 2.0.0 Ok")]
    [InlineData("550 4.7.1 class disagrees")]
    [InlineData("550-5.7.1 first\r\n451 4.7.1 second")]
    [InlineData("550 5.7.1 first\r\n550 5.7.1 second")]
    [InlineData("550-5.7.1 only a continuation")]
    [InlineData("")]
    [InlineData("5x0 text")]
    public void Anything_else_is_no_reply(string text)
    {
        Assert.Null(MilterReplyText.Parse(text));
    }
}
