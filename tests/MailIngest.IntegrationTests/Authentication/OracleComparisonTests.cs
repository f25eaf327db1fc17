using System.Text.Json;
using MailIngest.Smtp.Authentication;
using MailIngest.Testing;
using Xunit.Abstractions;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// MailIngest's verdicts against an independent implementation's (dkimpy, pyspf, authheaders; corrected to the RFC
/// where the oracle departs from it, each such case named in its verdict) on the whole corpus, every case sent over
/// SMTP from its own client address, every DNS answer from the loopback server.
/// </summary>
public sealed class OracleComparisonTests(RecordingNode node, ITestOutputHelper output) : IClassFixture<RecordingNode>
{
    [Fact]
    public async Task Every_corpus_case_gets_the_oracles_verdict()
    {
        var corpus = node.Corpus;
        var mismatches = new List<string>();
        foreach (var @case in corpus.Cases)
        {
            var recipient = $"{@case.Name}@ingest.test";
            var answer = await CorpusSender.SendAsync(node.Host, corpus, @case, recipient);
            Assert.True(answer.StartsWith("250", StringComparison.Ordinal), $"{@case.Name}: {answer}");
            var item = Assert.Single(await node.Host.ListAllAsync(recipient, TimeSpan.FromSeconds(30)));
            var ours = item.GetProperty("authentication");
            var oracle = corpus.Verdicts[@case.Name];
            var line = $"{@case.Name}: ours {Describe(ours)}; oracle {Describe(oracle)}";
            output.WriteLine(line + (oracle.OracleException is { } exception ? $" [oracle corrected: {exception}]" : ""));
            if (Describe(ours) != Describe(oracle)) mismatches.Add(line);
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {corpus.Cases.Count} cases differ:\n{string.Join("\n", mismatches)}");
    }

    [Fact]
    public async Task A_received_Authentication_Results_field_naming_this_server_is_removed_and_ours_is_in_front()
    {
        var @case = node.Corpus.Cases.Single(c => c.Name == "forged-authentication-results");
        const string recipient = "forged@ingest.test";
        Assert.StartsWith("250", await CorpusSender.SendAsync(node.Host, node.Corpus, @case, recipient));

        var item = Assert.Single(await node.Host.ListAllAsync(recipient, TimeSpan.FromSeconds(30)));
        var raw = await node.Host.RawAsync(recipient, item.GetProperty("id").GetString()!);
        var fields = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n").Where(line => line.StartsWith("Authentication-Results:", StringComparison.OrdinalIgnoreCase)).ToList();
        var ours = Assert.Single(fields);
        Assert.StartsWith("Authentication-Results: mx.test;", ours);
        Assert.DoesNotContain("dkim=pass", raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)]);
        Assert.True(raw.IndexOf("Authentication-Results: mx.test;", StringComparison.Ordinal) < raw.IndexOf("\r\nFrom:", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SPF_starts_when_MAIL_FROM_is_accepted_before_any_recipient_or_data()
    {
        await using var client = await RawSmtpClient.ConnectAsync(node.Host.SmtpPort);
        await client.SendAsync(ProxyHeaders.Version1("192.0.2.77"));
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.SendAsync("EHLO early.example\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());

        await client.SendAsync("MAIL FROM:<someone@mailfrom-probe.example>\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());

        // Nothing after MAIL has been sent: only the announcement at MAIL FROM can have asked for the sender's SPF record.
        await Eventually.TrueAsync("the SPF record of mailfrom-probe.example asked for",
            () => node.Corpus.Dns.QueryCount("mailfrom-probe.example", "TXT") > 0, TimeSpan.FromSeconds(30));
        await client.SendAsync("QUIT\r\n");
    }

    [Fact]
    public async Task The_dashboard_shows_the_verdicts_of_the_last_minutes_by_check_and_result()
    {
        var @case = node.Corpus.Cases.Single(c => c.Name == "dkim-rsa2048-relaxed");
        Assert.StartsWith("250", await CorpusSender.SendAsync(node.Host, node.Corpus, @case, "dashboard@ingest.test"));

        // The sampler reads the counters every 2 s.
        var counts = await Eventually.ValueAsync("dkim pass on the dashboard",
            async () => JsonDocument.Parse(await node.Host.Admin.GetStringAsync("/api/dashboard")).RootElement.GetProperty("authentication")
                .EnumerateArray().Select(count => (count.GetProperty("method").GetString(), count.GetProperty("result").GetString(), count.GetProperty("count").GetInt64()))
                .ToList(),
            counts => counts.Any(count => count is ("dkim", "pass", > 0)), TimeSpan.FromSeconds(30));

        Assert.Contains(counts, count => count is ("dmarc", "pass", > 0));
        Assert.Equal(["spf", "dkim", "dmarc", "arc"], counts.Select(count => count.Item1).Distinct());
    }

    private static string Describe(JsonElement verdict)
    {
        var dkim = verdict.GetProperty("dkim").EnumerateArray()
            .Select(d => $"{d.GetProperty("result").GetString()}({d.GetProperty("domain").GetString()}/{d.GetProperty("selector").GetString()})")
            .ToList();
        var dmarc = verdict.GetProperty("dmarc");
        return $"spf={verdict.GetProperty("spf").GetProperty("result").GetString()} dkim=[{(dkim.Count == 0 ? "none" : string.Join(" ", dkim))}] " +
               $"dmarc={dmarc.GetProperty("result").GetString()}({dmarc.GetProperty("policy").GetString() ?? "-"}) arc={verdict.GetProperty("arc").GetProperty("result").GetString()}";
    }

    private static string Describe(OracleVerdict verdict)
    {
        var dkim = verdict.Dkim.Where(d => d.Result != AuthResult.None)
            .Select(d => $"{Word(d.Result)}({d.Domain}/{d.Selector})").ToList();
        return $"spf={Word(verdict.Spf)} dkim=[{(dkim.Count == 0 ? "none" : string.Join(" ", dkim))}] " +
               $"dmarc={Word(verdict.Dmarc.Result)}({verdict.Dmarc.Policy ?? "-"}) arc={Word(verdict.Arc)}";
    }

    private static string Word(AuthResult result) => AuthenticationResultsHeader.Word(result);
}
