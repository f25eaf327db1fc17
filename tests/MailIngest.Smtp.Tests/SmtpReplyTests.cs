using System.Text;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Tests;

public sealed class SmtpReplyTests
{
    [Fact]
    public void ToWire_writes_single_line_with_enhanced_code()
    {
        var reply = new SmtpReply(250, "2.1.0", "Ok");

        var wire = Encoding.ASCII.GetString(reply.ToWire());

        Assert.Equal("250 2.1.0 Ok\r\n", wire);
    }

    [Fact]
    public void ToWire_uses_hyphen_on_continuation_lines_and_space_on_last()
    {
        var reply = new SmtpReply(211, "2.0.0", ["one", "two", "three"]);

        var wire = Encoding.ASCII.GetString(reply.ToWire());

        Assert.Equal("211-2.0.0 one\r\n211-2.0.0 two\r\n211 2.0.0 three\r\n", wire);
    }

    [Fact]
    public void ToWire_omits_enhanced_code_when_null()
    {
        var reply = new SmtpReply(250, null, ["mx Hello c", "PIPELINING"]);

        var wire = Encoding.ASCII.GetString(reply.ToWire());

        Assert.Equal("250-mx Hello c\r\n250 PIPELINING\r\n", wire);
    }

    [Fact]
    public void ToWire_replaces_control_and_non_ascii_characters_so_lines_cannot_be_injected()
    {
        var reply = new SmtpReply(211, "2.0.0", "a\r\n250 fake é");

        var wire = Encoding.ASCII.GetString(reply.ToWire());

        Assert.Equal("211 2.0.0 a??250 fake ?\r\n", wire);
    }

    [Fact]
    public void ToWire_of_empty_line_list_is_one_line()
    {
        var reply = new SmtpReply(250, "2.0.0", Array.Empty<string>());

        Assert.Equal("250 2.0.0\r\n", Encoding.ASCII.GetString(reply.ToWire()));
    }

    [Fact]
    public void ToWire_cuts_lines_longer_than_512_octets_to_512()
    {
        var reply = new SmtpReply(250, null, [new string('a', 600), "short"]);

        var lines = Encoding.ASCII.GetString(reply.ToWire()).Split("\r\n");

        Assert.Equal("250-" + new string('a', 506), lines[0]);
        Assert.Equal("250 short", lines[1]);
    }
}
