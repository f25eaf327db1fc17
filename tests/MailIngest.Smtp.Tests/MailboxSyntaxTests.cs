using MailIngest.Smtp.Parsing;

namespace MailIngest.Smtp.Tests;

public sealed class MailboxSyntaxTests
{
    [Theory]
    [InlineData("a@b")]
    [InlineData("first.last+tag@sub.example.test")]
    [InlineData("!#$%&'*+-/=?^_`{|}~@x.test")]
    [InlineData("\"quoted @ local\"@x.test")]
    [InlineData("\"esc\\\"aped\"@x.test")]
    [InlineData("a@[10.0.0.1]")]
    [InlineData("a@[IPv6:::1]")]
    [InlineData("a@[IPv6:::ffff:192.0.2.1]")]
    [InlineData("ü@bücher.test")]
    [InlineData("a@x-y.test")]
    public void IsValid_accepts_rfc_5321_mailboxes(string address)
    {
        Assert.True(MailboxSyntax.IsValid(address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a@")]
    [InlineData("@b")]
    [InlineData("a.@b")]
    [InlineData("a..b@c")]
    [InlineData("a(b)@c")]
    [InlineData("\"unterminated@c")]
    [InlineData("\"bad\"quote\"@c")]
    [InlineData("a@b_c.test")]
    [InlineData("a@b.")]
    [InlineData("a@[1.2.3]")]
    [InlineData("a@[IPv6:zz]")]
    [InlineData("a@[1.2.3.4")]
    [InlineData("a@[256.1.1.1]")]
    [InlineData("a@[IPv6:fe80::1%eth0]")]
    [InlineData("a@[IPv6:[::1]:25]")]
    public void IsValid_rejects_malformed_mailboxes(string address)
    {
        Assert.False(MailboxSyntax.IsValid(address));
    }

    [Fact]
    public void IsValid_rejects_label_over_63_octets()
    {
        Assert.False(MailboxSyntax.IsValid($"a@{new string('b', 64)}.test"));
    }

    [Fact]
    public void IsValid_counts_local_part_in_utf8_octets()
    {
        Assert.True(MailboxSyntax.IsValid($"{new string('ü', 32)}@x.test"));
        Assert.False(MailboxSyntax.IsValid($"{new string('ü', 33)}@x.test"));
    }
}
