using System.Net;
using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

public sealed class SpfMacroTests
{
    /// <summary>RFC 7208 §7.4: sender strong-bad@email.example.com, whose client's PTR name is mx.example.org.</summary>
    private static SpfMacroContext Context(string client) =>
        new("strong-bad", "email.example.com", "email.example.com", IPAddress.Parse(client), "mx.example.org", "mx.example.org");

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    public void Expander_reproduces_the_rfc_7208_examples_for_ipv4(string macro, string expansion)
    {
        Assert.Equal(expansion, SpfMacro.ParseDomainSpec(macro).Expand(Context("192.0.2.3")));
    }

    [Fact]
    public void Expander_reproduces_the_rfc_7208_example_for_ipv6()
    {
        var expansion = SpfMacro.ParseDomainSpec("%{ir}.%{v}._spf.%{d2}").Expand(Context("2001:db8::cb01"));

        Assert.Equal(
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com",
            expansion);
    }

    [Theory]
    [InlineData("%{p}.example.com", "mx.example.org.example.com")]
    [InlineData("%{h}.example.com", "mx.example.org.example.com")]
    [InlineData("%{S}.example.com", "strong-bad%40email.example.com.example.com")]
    [InlineData("a%%b%_c%-d.example.com", "a%b c%20d.example.com")]
    [InlineData("%{d+}.%{l9-}.example.com", "email.example.com.strong.bad.example.com")]
    [InlineData("%{Lr-}.example.com", "bad.strong.example.com")]
    public void Expander_handles_the_other_letters_escapes_and_transformers(string macro, string expansion)
    {
        Assert.Equal(expansion, SpfMacro.ParseDomainSpec(macro).Expand(Context("192.0.2.3")));
    }

    [Theory]
    [InlineData("%{x}.example.com")]
    [InlineData("%{d0}.example.com")]
    [InlineData("%{d2x}.example.com")]
    [InlineData("%{d.example.com")]
    [InlineData("%a.example.com")]
    [InlineData("example.com%")]
    [InlineData("%{c}.example.com")]
    [InlineData("%{r}.example.com")]
    [InlineData("%{t}.example.com")]
    [InlineData("example")]
    [InlineData("192.0.2.3")]
    [InlineData("")]
    public void Invalid_domain_spec_is_a_permanent_error(string macro)
    {
        var error = Assert.Throws<SpfException>(() => SpfMacro.ParseDomainSpec(macro));

        Assert.Equal(AuthResult.PermError, error.Result);
    }

    [Fact]
    public void Expansion_longer_than_253_characters_loses_labels_from_the_left()
    {
        var context = Context("192.0.2.3") with { LocalPart = string.Join('.', Enumerable.Repeat("abcdefghi", 30)) };

        var name = SpfMacro.ParseDomainSpec("%{l}.example.com").ExpandDomain(context);

        Assert.True(name.Length <= 253);
        Assert.EndsWith("abcdefghi.example.com", name, StringComparison.Ordinal);
        Assert.StartsWith("abcdefghi.", name, StringComparison.Ordinal);
    }
}
