using MailIngest.Smtp.Milter;

namespace MailIngest.Smtp.Tests.Milter;

public sealed class MilterAddressTests
{
    [Theory]
    [InlineData("inet:127.0.0.1:11332", "127.0.0.1", 11332, null)]
    [InlineData("inet:[::1]:8891", "::1", 8891, null)]
    [InlineData("inet:rspamd:11332", "rspamd", 11332, null)]
    [InlineData("unix:/run/milter.sock", null, 0, "/run/milter.sock")]
    public void Postfix_forms_are_parsed(string text, string? host, int port, string? path)
    {
        Assert.Equal(new MilterAddress(host, port, path), MilterAddress.Parse(text));
    }

    [Theory]
    [InlineData("127.0.0.1:11332")]
    [InlineData("inet:127.0.0.1")]
    [InlineData("inet:127.0.0.1:0")]
    [InlineData("inet:127.0.0.1:70000")]
    [InlineData("unix:relative.sock")]
    [InlineData("local:/run/x.sock")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_no_address(string? text)
    {
        Assert.Null(MilterAddress.Parse(text));
    }
}
