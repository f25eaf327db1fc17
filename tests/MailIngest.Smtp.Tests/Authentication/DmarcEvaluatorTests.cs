using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

public sealed class DmarcEvaluatorTests
{
    private const int Sampled = 0;

    private static readonly (AuthResult, string)[] NoDkim = [];

    private static Task<DmarcVerdict> Evaluate(
        DmarcZone zone,
        string from,
        AuthResult spf = AuthResult.None,
        string? spfDomain = null,
        (AuthResult, string)[]? dkim = null,
        int roll = Sampled) =>
        new DmarcEvaluator(zone, PublicSuffixList.Default)
            .EvaluateAsync(from, spf, spfDomain, dkim ?? NoDkim, roll, CancellationToken.None);

    private static DmarcZone Publishing(string record, string name = "_dmarc.example.com") => new DmarcZone().Txt(name, record);

    [Fact]
    public async Task Evaluate_passes_on_aligned_spf_alone()
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject"), "example.com", AuthResult.Pass, "example.com");

        Assert.Equal(new DmarcVerdict(AuthResult.Pass, "example.com", "reject", null, verdict.Reason), verdict);
    }

    [Fact]
    public async Task Evaluate_passes_on_aligned_dkim_alone()
    {
        var verdict = await Evaluate(
            Publishing("v=DMARC1; p=reject"), "example.com", AuthResult.Fail, "example.com",
            [(AuthResult.Fail, "example.com"), (AuthResult.Pass, "example.com")]);

        Assert.Equal(AuthResult.Pass, verdict.Result);
        Assert.Null(verdict.AppliedPolicy);
    }

    [Theory]
    [InlineData("bounce.example.com")]
    [InlineData("EXAMPLE.COM")]
    public async Task Evaluate_passes_on_spf_for_a_relaxed_aligned_domain(string spfDomain)
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject"), "example.com", AuthResult.Pass, spfDomain);

        Assert.Equal(AuthResult.Pass, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_fails_on_spf_for_a_subdomain_under_strict_aspf()
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject; aspf=s"), "example.com", AuthResult.Pass, "bounce.example.com");

        Assert.Equal(AuthResult.Fail, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_passes_on_spf_for_the_exact_domain_under_strict_aspf()
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject; aspf=s"), "example.com", AuthResult.Pass, "Example.com");

        Assert.Equal(AuthResult.Pass, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_passes_on_dkim_for_a_parent_domain_under_relaxed_adkim()
    {
        var zone = Publishing("v=DMARC1; p=reject", "_dmarc.news.example.com");

        var verdict = await Evaluate(zone, "news.example.com", dkim: [(AuthResult.Pass, "example.com")]);

        Assert.Equal(AuthResult.Pass, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_fails_on_dkim_for_a_parent_domain_under_strict_adkim()
    {
        var zone = Publishing("v=DMARC1; p=reject; adkim=s", "_dmarc.news.example.com");

        var verdict = await Evaluate(zone, "news.example.com", dkim: [(AuthResult.Pass, "example.com")]);

        Assert.Equal(AuthResult.Fail, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_fails_when_the_passing_domains_are_not_aligned()
    {
        var verdict = await Evaluate(
            Publishing("v=DMARC1; p=reject"), "example.com", AuthResult.Pass, "example.net",
            [(AuthResult.Pass, "example.org")]);

        Assert.Equal(AuthResult.Fail, verdict.Result);
    }

    [Theory]
    [InlineData(AuthResult.SoftFail)]
    [InlineData(AuthResult.Neutral)]
    [InlineData(AuthResult.TempError)]
    public async Task Evaluate_fails_when_aligned_spf_did_not_pass(AuthResult spf)
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject"), "example.com", spf, "example.com", [(AuthResult.Fail, "example.com")]);

        Assert.Equal(AuthResult.Fail, verdict.Result);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("quarantine")]
    [InlineData("reject")]
    public async Task Evaluate_fails_with_the_published_policy_applied(string policy)
    {
        var verdict = await Evaluate(Publishing($"v=DMARC1; p={policy}"), "example.com");

        Assert.Equal(new DmarcVerdict(AuthResult.Fail, "example.com", policy, policy, verdict.Reason), verdict);
    }

    [Fact]
    public async Task Evaluate_uses_sp_for_a_subdomain_found_through_the_organizational_domain()
    {
        var zone = Publishing("v=DMARC1; p=reject; sp=quarantine");

        var verdict = await Evaluate(zone, "mail.example.com");

        Assert.Equal(new DmarcVerdict(AuthResult.Fail, "mail.example.com", "quarantine", "quarantine", verdict.Reason), verdict);
        Assert.Equal(["_dmarc.mail.example.com", "_dmarc.example.com"], zone.Queries);
    }

    [Fact]
    public async Task Evaluate_uses_p_for_a_subdomain_when_the_organizational_record_has_no_sp()
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject"), "mail.example.com");

        Assert.Equal("reject", verdict.Policy);
    }

    [Fact]
    public async Task Evaluate_uses_p_not_sp_for_the_organizational_domain_itself()
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject; sp=none"), "example.com");

        Assert.Equal("reject", verdict.AppliedPolicy);
    }

    [Fact]
    public async Task Evaluate_prefers_the_subdomains_own_record_and_asks_no_further()
    {
        var zone = Publishing("v=DMARC1; p=reject; sp=reject")
            .Txt("_dmarc.mail.example.com", "v=DMARC1; p=none", "some other text");

        var verdict = await Evaluate(zone, "mail.example.com");

        Assert.Equal("none", verdict.Policy);
        Assert.Equal(["_dmarc.mail.example.com"], zone.Queries);
    }

    [Fact]
    public async Task Evaluate_finds_the_organizational_domain_under_a_multi_label_public_suffix()
    {
        var zone = Publishing("v=DMARC1; p=reject; sp=quarantine", "_dmarc.example.co.uk");

        var verdict = await Evaluate(zone, "mail.example.co.uk", AuthResult.Pass, "bounce.example.co.uk");

        Assert.Equal(new DmarcVerdict(AuthResult.Pass, "mail.example.co.uk", "quarantine", null, verdict.Reason), verdict);
        Assert.Equal(["_dmarc.mail.example.co.uk", "_dmarc.example.co.uk"], zone.Queries);
    }

    [Fact]
    public async Task Evaluate_does_not_align_sibling_registrations_under_a_public_suffix()
    {
        var zone = Publishing("v=DMARC1; p=reject", "_dmarc.example.co.uk");

        var verdict = await Evaluate(zone, "example.co.uk", AuthResult.Pass, "other.co.uk");

        Assert.Equal(AuthResult.Fail, verdict.Result);
    }

    [Theory]
    [InlineData("v=DMARC1; p=reject; pct=0", 0, "quarantine")]
    [InlineData("v=DMARC1; p=reject; pct=50", 10, "reject")]
    [InlineData("v=DMARC1; p=reject; pct=50", 70, "quarantine")]
    [InlineData("v=DMARC1; p=quarantine; pct=50", 70, "none")]
    [InlineData("v=DMARC1; p=none; pct=0", 99, "none")]
    [InlineData("v=DMARC1; p=reject; pct=100", 99, "reject")]
    public async Task Evaluate_steps_the_policy_down_for_a_message_outside_the_pct_sample(string record, int roll, string applied)
    {
        var verdict = await Evaluate(Publishing(record), "example.com", roll: roll);

        Assert.Equal(applied, verdict.AppliedPolicy);
    }

    [Fact]
    public async Task Evaluate_gives_none_when_no_record_is_published()
    {
        var zone = new DmarcZone().Txt("_dmarc.example.com", "v=spf1 -all");

        var verdict = await Evaluate(zone, "mail.example.com", AuthResult.Pass, "mail.example.com");

        Assert.Equal(new DmarcVerdict(AuthResult.None, "mail.example.com", null, null, verdict.Reason), verdict);
    }

    [Fact]
    public async Task Evaluate_gives_none_for_two_records_at_one_name()
    {
        var verdict = await Evaluate(new DmarcZone().Txt("_dmarc.example.com", "v=DMARC1; p=reject", "v=DMARC1; p=none"), "example.com");

        Assert.Equal(AuthResult.None, verdict.Result);
        Assert.Null(verdict.Policy);
    }

    [Fact]
    public async Task Evaluate_gives_none_for_two_records_at_the_subdomain_without_asking_the_organizational_domain()
    {
        // RFC 7489 §6.6.3: the parent is asked only when the From domain has no DMARC record; several end discovery.
        var zone = Publishing("v=DMARC1; p=reject")
            .Txt("_dmarc.mail.example.com", "v=DMARC1; p=none", "v=DMARC1; p=quarantine");

        var verdict = await Evaluate(zone, "mail.example.com");

        Assert.Equal(AuthResult.None, verdict.Result);
        Assert.Equal(["_dmarc.mail.example.com"], zone.Queries);
    }

    [Theory]
    [InlineData("v=DMARC1; p=deny")]
    [InlineData("v=DMARC1")]
    public async Task Evaluate_gives_none_for_a_record_without_a_valid_policy(string record)
    {
        var verdict = await Evaluate(Publishing(record), "example.com");

        Assert.Equal(AuthResult.None, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_acts_as_p_none_for_an_invalid_policy_with_rua()
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=deny; rua=mailto:d@example.com"), "example.com");

        Assert.Equal(new DmarcVerdict(AuthResult.Fail, "example.com", "none", "none", verdict.Reason), verdict);
    }

    [Fact]
    public async Task Evaluate_gives_temperror_when_the_from_domain_lookup_fails_for_now()
    {
        var zone = Publishing("v=DMARC1; p=reject").TempFail("_dmarc.mail.example.com");

        var verdict = await Evaluate(zone, "mail.example.com");

        Assert.Equal(new DmarcVerdict(AuthResult.TempError, "mail.example.com", null, null, verdict.Reason), verdict);
        Assert.Equal(["_dmarc.mail.example.com"], zone.Queries);
    }

    [Fact]
    public async Task Evaluate_gives_temperror_when_the_organizational_domain_lookup_fails_for_now()
    {
        var verdict = await Evaluate(new DmarcZone().TempFail("_dmarc.example.com"), "mail.example.com");

        Assert.Equal(AuthResult.TempError, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_gives_permerror_for_a_from_domain_that_is_not_a_domain_name()
    {
        var zone = new DmarcZone();

        var verdict = await Evaluate(zone, "example..com");

        Assert.Equal(AuthResult.PermError, verdict.Result);
        Assert.Empty(zone.Queries);
    }

    [Fact]
    public async Task Evaluate_ignores_a_passing_dkim_signature_with_a_malformed_domain()
    {
        var verdict = await Evaluate(Publishing("v=DMARC1; p=reject"), "example.com", dkim: [(AuthResult.Pass, ".example.com")]);

        Assert.Equal(AuthResult.Fail, verdict.Result);
    }

    [Fact]
    public async Task Evaluate_queries_and_aligns_a_unicode_from_domain_in_a_labels()
    {
        var zone = Publishing("v=DMARC1; p=reject", "_dmarc.xn--85x722f.xn--fiqs8s");

        var verdict = await Evaluate(zone, "www.食狮.中国", dkim: [(AuthResult.Pass, "xn--85x722f.xn--fiqs8s")]);

        Assert.Equal(new DmarcVerdict(AuthResult.Pass, "www.xn--85x722f.xn--fiqs8s", "reject", null, verdict.Reason), verdict);
    }
}
