using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

/// <summary>RFC 6376 §3.2 tag lists, as in a DKIM-Signature field and a key record.</summary>
public sealed class DkimTagsTests
{
    [Fact]
    public void Names_and_values_are_trimmed_and_base64_values_lose_their_folding()
    {
        var tags = DkimTags.Parse("v=1; a=rsa-sha256;\r\n\td=example.com ; s = sel;\r\n\tb=abc\r\n\t def\r\n\t ghi=;")!;

        Assert.Equal("1", tags.Get("v"));
        Assert.Equal("example.com", tags.Get("d"));
        Assert.Equal("sel", tags.Get("s"));
        Assert.Equal("abcdefghi=", tags.Compact("b"));
        Assert.Null(tags.Get("D"));
        Assert.Null(tags.Compact("bh"));
    }

    [Fact]
    public void An_empty_value_is_a_value() => Assert.Equal("", DkimTags.Parse("v=DKIM1; p=")!.Get("p"));

    [Theory]
    [InlineData("v=1; v=1")]
    [InlineData("v=1; novalue")]
    [InlineData("=x")]
    [InlineData("1a=x")]
    [InlineData("a-b=x")]
    [InlineData(" ; ; ")]
    public void A_list_that_breaks_the_grammar_is_no_list(string text) => Assert.Null(DkimTags.Parse(text));
}
