using MailIngest.Smtp.Authentication;
using Xunit.Abstractions;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// The oracle infrastructure itself: every generated case gets a verdict, the verdicts use every RFC 8601 word the
/// MailIngest comparison will need, and the oracle's DNS lookups reach the loopback server.
/// </summary>
public sealed class OracleCorpusTests(OracleCorpusFixture corpus, ITestOutputHelper output) : IClassFixture<OracleCorpusFixture>
{
    [Fact]
    public void Oracle_gives_every_generated_case_a_verdict()
    {
        foreach (var (name, verdict) in corpus.Verdicts.OrderBy(entry => entry.Key)) output.WriteLine(Describe(name, verdict));

        Assert.True(corpus.Cases.Count >= 40, $"only {corpus.Cases.Count} cases");
        Assert.Equal(corpus.Cases.Select(c => c.Name).Order(), corpus.Verdicts.Keys.Order());
    }

    [Fact]
    public void Oracle_verdicts_cover_every_result_word()
    {
        var verdicts = corpus.Verdicts.Values.ToList();

        AssertCovers("spf", verdicts.Select(v => v.Spf),
            AuthResult.Pass, AuthResult.Fail, AuthResult.SoftFail, AuthResult.Neutral, AuthResult.None, AuthResult.PermError, AuthResult.TempError);
        AssertCovers("dkim", verdicts.SelectMany(v => v.Dkim).Select(d => d.Result), AuthResult.Pass, AuthResult.Fail, AuthResult.None);
        AssertCovers("dmarc", verdicts.Select(v => v.Dmarc.Result), AuthResult.Pass, AuthResult.Fail, AuthResult.None);
        AssertCovers("arc", verdicts.Select(v => v.Arc), AuthResult.Pass, AuthResult.Fail, AuthResult.None);
    }

    [Fact]
    public void Oracle_lookups_reach_the_loopback_dns_server()
    {
        // One lookup of each kind: SPF policy, DKIM key (TXT split into strings), DKIM key over TCP, DMARC policy, ARC key.
        Assert.True(corpus.Dns.QueryCount("example.com", "TXT") > 0);
        Assert.True(corpus.Dns.QueryCount("rsa2048._domainkey.example.com", "TXT") > 0);
        Assert.True(corpus.Dns.QueryCount("rsa4096._domainkey.example.com", "TXT") > 0);
        Assert.True(corpus.Dns.QueryCount("_dmarc.example.com", "TXT") > 0);
        Assert.True(corpus.Dns.QueryCount("arc._domainkey.example.org", "TXT") > 0);
    }

    [Fact]
    public void Oracle_verifies_both_rfc8463_appendix_a_signatures()
    {
        var verdict = corpus.Verdicts["rfc8463-appendix-a"];

        Assert.Equal(
            [new OracleDkimVerdict(AuthResult.Pass, "football.example.com", "brisbane"), new OracleDkimVerdict(AuthResult.Pass, "football.example.com", "test")],
            verdict.Dkim);
    }

    private static string Describe(string name, OracleVerdict verdict) =>
        $"{name}: spf={Word(verdict.Spf)} dkim={string.Join(",", verdict.Dkim.Select(d => $"{Word(d.Result)}({d.Domain}/{d.Selector})"))} " +
        $"dmarc={Word(verdict.Dmarc.Result)}(p={verdict.Dmarc.Policy}) arc={Word(verdict.Arc)}" +
        (verdict.OracleException is null ? "" : $" [oracle exception: {verdict.OracleException}]");

    private static string Word(AuthResult result) => result.ToString().ToLowerInvariant();

    private static void AssertCovers(string check, IEnumerable<AuthResult> seen, params AuthResult[] expected)
    {
        var missing = expected.Except(seen).ToList();
        Assert.True(missing.Count == 0, $"no {check} verdict is {string.Join(", ", missing)}");
    }
}
