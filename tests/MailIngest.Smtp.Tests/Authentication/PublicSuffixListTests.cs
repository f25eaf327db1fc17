using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

public sealed class PublicSuffixListTests
{
    // Cases from the list's own test vectors (publicsuffix/list tests/test_psl.txt), run against the shipped copy.
    // Unicode input comes back in A-labels: the Organizational Domain is a name to query and compare in DNS form.
    [Theory]
    [InlineData("COM", null)]
    [InlineData("example.COM", "example.com")]
    [InlineData("WwW.example.COM", "example.com")]
    [InlineData(".com", null)]
    [InlineData(".example", null)]
    [InlineData(".example.com", null)]
    [InlineData("example", null)]
    [InlineData("example.example", "example.example")]
    [InlineData("a.b.example.example", "example.example")]
    [InlineData("biz", null)]
    [InlineData("a.b.domain.biz", "domain.biz")]
    [InlineData("www.example.com", "example.com")]
    [InlineData("uk.com", null)]
    [InlineData("example.uk.com", "example.uk.com")]
    [InlineData("a.b.example.uk.com", "example.uk.com")]
    [InlineData("test.ac", "test.ac")]
    [InlineData("mm", null)]
    [InlineData("c.mm", null)]
    [InlineData("b.c.mm", "b.c.mm")]
    [InlineData("a.b.c.mm", "b.c.mm")]
    [InlineData("jp", null)]
    [InlineData("www.test.jp", "test.jp")]
    [InlineData("ac.jp", null)]
    [InlineData("www.test.ac.jp", "test.ac.jp")]
    [InlineData("kyoto.jp", null)]
    [InlineData("test.kyoto.jp", "test.kyoto.jp")]
    [InlineData("ide.kyoto.jp", null)]
    [InlineData("a.b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("c.kawasaki.jp", null)]
    [InlineData("a.b.c.kawasaki.jp", "b.c.kawasaki.jp")]
    [InlineData("city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("www.city.kobe.jp", "city.kobe.jp")]
    [InlineData("ck", null)]
    [InlineData("test.ck", null)]
    [InlineData("a.b.test.ck", "b.test.ck")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("www.www.ck", "www.ck")]
    [InlineData("k12.ak.us", null)]
    [InlineData("www.test.k12.ak.us", "test.k12.ak.us")]
    [InlineData("www.食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("公司.cn", null)]
    [InlineData("shishi.中国", "shishi.xn--fiqs8s")]
    [InlineData("www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("xn--55qx5d.cn", null)]
    [InlineData("www.XN--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("user.github.io", "user.github.io")]
    public void Shipped_list_gives_the_test_vector_organizational_domain(string domain, string? expected)
    {
        Assert.Equal(expected, PublicSuffixList.Default.OrganizationalDomain(domain));
    }

    [Theory]
    [InlineData("")]
    [InlineData("example..com")]
    [InlineData("example.com.")]
    public void Organizational_domain_is_null_when_the_name_is_not_a_domain(string domain)
    {
        Assert.Null(PublicSuffixList.Default.OrganizationalDomain(domain));
    }

    [Fact]
    public void Organizational_domain_is_null_when_a_label_is_longer_than_63()
    {
        Assert.Null(PublicSuffixList.Default.OrganizationalDomain(new string('a', 64) + ".example.com"));
    }

    [Fact]
    public void Parse_reads_rules_wildcards_exceptions_and_skips_comments()
    {
        var list = PublicSuffixList.Parse(new StringReader("""
            // ===BEGIN ICANN DOMAINS===
            test
            *.wild.test
            !keep.wild.test   trailing text after whitespace is not part of the rule

            // ===BEGIN PRIVATE DOMAINS===
            Hosting.Test
            """));

        Assert.Equal("a.test", list.OrganizationalDomain("x.a.test"));
        Assert.Null(list.OrganizationalDomain("any.wild.test"));
        Assert.Equal("b.any.wild.test", list.OrganizationalDomain("a.b.any.wild.test"));
        Assert.Equal("keep.wild.test", list.OrganizationalDomain("www.keep.wild.test"));
        Assert.Equal("site.hosting.test", list.OrganizationalDomain("www.site.hosting.test"));
    }

    [Fact]
    public void Parse_matches_a_unicode_rule_to_punycode_input()
    {
        var list = PublicSuffixList.Parse(new StringReader("中国\n"));

        Assert.Equal("xn--85x722f.xn--fiqs8s", list.OrganizationalDomain("www.xn--85x722f.xn--fiqs8s"));
    }

    [Fact]
    public void Load_reads_a_list_from_a_file()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "example\n");

            Assert.Equal("site.example", PublicSuffixList.Load(path).OrganizationalDomain("www.site.example"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
