using MailIngest.Smtp.Authentication;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// The oracle infrastructure itself: every generated case gets a verdict, the verdicts use every RFC 8601 word the
/// MailIngest comparison will need, and the oracle's DNS lookups reach the loopback server and nothing else.
/// </summary>
public sealed class OracleCorpusTests
{
    [Fact]
    public async Task Oracle_gives_every_case_a_verdict_covering_every_result_word_through_the_loopback_dns()
    {
        using var directory = new TempDirectory();
        var cases = await OracleCorpus.GenerateAsync(directory.Path);
        await using var dns = LoopbackDnsServer.Start(OracleCorpus.ZonePath(directory.Path));

        var verdicts = await OracleCorpus.VerifyAsync(directory.Path, dns.EndPoint);

        Assert.True(cases.Count >= 40, $"only {cases.Count} cases");
        Assert.Equal(cases.Select(c => c.Name).Order(), verdicts.Keys.Order());
        AssertCovers("spf", verdicts.Values.Select(v => v.Spf),
            AuthResult.Pass, AuthResult.Fail, AuthResult.SoftFail, AuthResult.Neutral, AuthResult.None, AuthResult.PermError, AuthResult.TempError);
        AssertCovers("dkim", verdicts.Values.SelectMany(v => v.Dkim).Select(d => d.Result), AuthResult.Pass, AuthResult.Fail, AuthResult.None);
        AssertCovers("dmarc", verdicts.Values.Select(v => v.Dmarc.Result), AuthResult.Pass, AuthResult.Fail, AuthResult.None);
        AssertCovers("arc", verdicts.Values.Select(v => v.Arc), AuthResult.Pass, AuthResult.Fail, AuthResult.None);
        // One lookup of each kind: SPF policy, DKIM key (split TXT), DMARC policy, ARC sealer key.
        Assert.True(dns.QueryCount("example.com", "TXT") > 0);
        Assert.True(dns.QueryCount("rsa2048._domainkey.example.com", "TXT") > 0);
        Assert.True(dns.QueryCount("_dmarc.example.com", "TXT") > 0);
        Assert.True(dns.QueryCount("arc._domainkey.example.org", "TXT") > 0);
    }

    [Fact]
    public async Task Oracle_verifies_both_rfc8463_appendix_a_signatures()
    {
        using var directory = new TempDirectory();
        await OracleCorpus.GenerateAsync(directory.Path);
        await using var dns = LoopbackDnsServer.Start(OracleCorpus.ZonePath(directory.Path));

        var verdict = (await OracleCorpus.VerifyAsync(directory.Path, dns.EndPoint))["rfc8463-appendix-a"];

        Assert.Equal([new OracleDkimVerdict(AuthResult.Pass, "football.example.com", "brisbane"), new OracleDkimVerdict(AuthResult.Pass, "football.example.com", "test")],
            verdict.Dkim);
    }

    private static void AssertCovers(string check, IEnumerable<AuthResult> seen, params AuthResult[] expected)
    {
        var missing = expected.Except(seen).ToList();
        Assert.True(missing.Count == 0, $"no {check} verdict is {string.Join(", ", missing)}");
    }
}
