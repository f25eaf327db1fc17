using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

public sealed class SpfRecordTests
{
    private const string Client = "192.0.2.3";

    [Fact]
    public async Task Domain_without_spf_record_is_none()
    {
        var zone = new ZoneLookup().Txt("example.com", "v=spf10 -all", "v=spf1-all", "some other text");

        var verdict = await zone.CheckAsync(Client, "user@example.com");

        Assert.Equal(AuthResult.None, verdict.Result);
        Assert.Equal("example.com", verdict.Domain);
        Assert.Contains("no SPF record", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Domain_that_does_not_exist_is_none()
    {
        Assert.Equal(AuthResult.None, (await new ZoneLookup().CheckAsync(Client, "user@nowhere.example")).Result);
    }

    [Theory]
    [InlineData("user@localhost")]
    [InlineData("user@example..com")]
    [InlineData("user@.example.com")]
    [InlineData("user@")]
    public async Task Sender_domain_that_is_not_a_domain_name_is_none_without_a_query(string reversePath)
    {
        var zone = new ZoneLookup();

        Assert.Equal(AuthResult.None, (await zone.CheckAsync(Client, reversePath)).Result);
        Assert.Equal(0, zone.Queries);
    }

    [Fact]
    public async Task Label_longer_than_63_characters_is_none()
    {
        Assert.Equal(AuthResult.None, (await new ZoneLookup().CheckAsync(Client, $"user@{new string('a', 64)}.example.com")).Result);
    }

    [Fact]
    public async Task More_than_one_spf_record_is_a_permanent_error()
    {
        var zone = new ZoneLookup().Txt("example.com", "v=spf1 +all", "V=SPF1 -all");

        Assert.Equal(AuthResult.PermError, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Fact]
    public async Task Version_is_matched_without_regard_to_case()
    {
        var zone = new ZoneLookup().Txt("example.com", "V=SpF1 -ALL");

        Assert.Equal(AuthResult.Fail, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Fact]
    public async Task Null_reverse_path_checks_the_helo_name_as_postmaster()
    {
        var zone = new ZoneLookup()
            .Txt("mail.example.net", "v=spf1 exists:%{l}.%{o}.%{h}.list.example.com -all")
            .Address("postmaster.mail.example.net.mail.example.net.list.example.com", "127.0.0.2");

        var verdict = await zone.CheckAsync(Client, "", "mail.example.net");

        Assert.Equal(new SpfVerdict(AuthResult.Pass, "mail.example.net", null), verdict);
    }

    [Theory]
    [InlineData("v=spf1 foo")]
    [InlineData("v=spf1 +all foo:bar")]
    [InlineData("v=spf1 -all:example.com")]
    [InlineData("v=spf1 include")]
    [InlineData("v=spf1 exists")]
    [InlineData("v=spf1 ptr/24")]
    [InlineData("v=spf1 a//64/24")]
    [InlineData("v=spf1 include:")]
    [InlineData("v=spf1 a:example")]
    [InlineData("v=spf1 a:192.0.2.3")]
    [InlineData("v=spf1 a/33")]
    [InlineData("v=spf1 a/024")]
    [InlineData("v=spf1 mx//129")]
    [InlineData("v=spf1 ip4:192.0.2")]
    [InlineData("v=spf1 ip4:192.0.2.03")]
    [InlineData("v=spf1 ip4:192.0.2.3/33")]
    [InlineData("v=spf1 ip4:2001:db8::1")]
    [InlineData("v=spf1 ip6:192.0.2.3")]
    [InlineData("v=spf1 ip6:2001:db8::/129")]
    [InlineData("v=spf1 exists:%{x}.example.com")]
    [InlineData("v=spf1 exists:%{c}.example.com")]
    [InlineData("v=spf1 redirect=a.example.org redirect=b.example.org")]
    [InlineData("v=spf1 -all exp=a.example.org exp=b.example.org")]
    [InlineData("v=spf1 -all exp=%{x}")]
    [InlineData("v=spf1 -all other=%")]
    [InlineData("v=spf1 -all\tip4:192.0.2.3")]
    public async Task Malformed_record_is_a_permanent_error_before_any_term_is_evaluated(string record)
    {
        var zone = new ZoneLookup().Txt("example.com", record);

        Assert.Equal(AuthResult.PermError, (await zone.CheckAsync(Client, "user@example.com")).Result);
        Assert.Equal(1, zone.Queries);
    }

    [Theory]
    [InlineData("v=spf1 -all exp=explain.example.com")]
    [InlineData("v=spf1 exp=explain.%{d} -all")]
    [InlineData("v=spf1 -all moo.cow-far_out=man:dog/cat")]
    [InlineData("v=spf1   -all  ")]
    public async Task Exp_and_unknown_modifiers_do_not_change_the_result(string record)
    {
        var zone = new ZoneLookup().Txt("example.com", record);

        Assert.Equal(AuthResult.Fail, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }

    [Fact]
    public async Task Redirect_gives_the_target_record_result_with_its_own_domain()
    {
        var zone = new ZoneLookup()
            .Txt("example.com", "v=spf1 ip4:198.51.100.1 redirect=_spf.example.org")
            .Txt("_spf.example.org", "v=spf1 a:%{d} ~all")
            .Address("_spf.example.org", "192.0.2.3");

        Assert.Equal(AuthResult.Pass, (await zone.CheckAsync(Client, "user@example.com")).Result);
        Assert.Equal(AuthResult.SoftFail, (await zone.CheckAsync("192.0.2.4", "user@example.com")).Result);
    }

    [Fact]
    public async Task Redirect_is_not_followed_when_a_mechanism_matches()
    {
        var zone = new ZoneLookup().Txt("example.com", "v=spf1 ip4:192.0.2.3 redirect=_spf.example.org");

        Assert.Equal(AuthResult.Pass, (await zone.CheckAsync(Client, "user@example.com")).Result);
        Assert.Equal(1, zone.Queries);
    }

    [Fact]
    public async Task Redirect_to_a_domain_without_a_record_is_a_permanent_error()
    {
        var zone = new ZoneLookup().Txt("example.com", "v=spf1 redirect=_spf.example.org");

        Assert.Equal(AuthResult.PermError, (await zone.CheckAsync(Client, "user@example.com")).Result);
    }
}
