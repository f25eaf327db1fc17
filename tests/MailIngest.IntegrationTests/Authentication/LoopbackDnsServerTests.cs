using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using MailIngest.Testing;
using ArsoftClient = ARSoft.Tools.Net.Dns.DnsClient;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>The test DNS server answers as a real authoritative server would, asked by ARSoft's client over UDP or TCP.</summary>
public sealed class LoopbackDnsServerTests : IAsyncLifetime
{
    private static readonly string LongText = "v=DKIM1; k=rsa; p=" + new string('A', 700);

    private static readonly DnsZone Zone = new(
        [
            new DnsZoneRecord("example.com", "TXT", "v=spf1 -all"),
            new DnsZoneRecord("example.com", "MX", "10 mx.example.com"),
            new DnsZoneRecord("mx.example.com", "A", "192.0.2.25"),
            new DnsZoneRecord("mx.example.com", "AAAA", "2001:db8::25"),
            new DnsZoneRecord("25.2.0.192.in-addr.arpa", "PTR", "mx.example.com"),
            new DnsZoneRecord("long._domainkey.example.com", "TXT", LongText),
        ],
        ["slow.example.com"],
        ["broken.example.com"]);

    private const string TruncationProbe = """
        import sys, dns.flags, dns.message, dns.query
        query = dns.message.make_query("long._domainkey.example.com", "TXT")
        answer = dns.query.udp(query, "127.0.0.1", port=int(sys.argv[1]), timeout=2)
        print("truncated" if answer.flags & dns.flags.TC else "whole")
        """;

    private LoopbackDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackDnsServer.Start(Zone);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Server_answers_each_record_type()
    {
        var txt = await AskAsync(Udp(), "example.com", RecordType.Txt);
        var mx = await AskAsync(Udp(), "example.com", RecordType.Mx);
        var a = await AskAsync(Udp(), "mx.example.com", RecordType.A);
        var aaaa = await AskAsync(Udp(), "mx.example.com", RecordType.Aaaa);
        var ptr = await AskAsync(Udp(), "25.2.0.192.in-addr.arpa", RecordType.Ptr);

        Assert.Equal("v=spf1 -all", Assert.Single(txt.AnswerRecords.OfType<TxtRecord>()).TextData);
        Assert.Equal("mx.example.com.", Assert.Single(mx.AnswerRecords.OfType<MxRecord>()).ExchangeDomainName.ToString());
        Assert.Equal(IPAddress.Parse("192.0.2.25"), Assert.Single(a.AnswerRecords.OfType<ARecord>()).Address);
        Assert.Equal(IPAddress.Parse("2001:db8::25"), Assert.Single(aaaa.AnswerRecords.OfType<AaaaRecord>()).Address);
        Assert.Equal("mx.example.com.", Assert.Single(ptr.AnswerRecords.OfType<PtrRecord>()).PointerDomainName.ToString());
    }

    [Fact]
    public async Task Server_truncates_a_long_txt_over_udp_and_serves_it_whole_over_tcp_in_strings_of_255()
    {
        // Without EDNS(0) a UDP answer is capped at 512 bytes (RFC 1035 §4.2.1). ARSoft's client asks with EDNS and
        // hides truncated answers, so dnspython asks once over UDP without retrying over TCP.
        var (exitCode, truncated) = await ExternalTool.RunAsync("/usr/bin/python3", ["-c", TruncationProbe, _server.EndPoint.Port.ToString()]);
        var tcp = await AskAsync(Tcp(), "long._domainkey.example.com", RecordType.Txt);

        Assert.Equal((0, "truncated"), (exitCode, truncated.Trim()));
        var record = Assert.Single(tcp.AnswerRecords.OfType<TxtRecord>());
        Assert.Equal(LongText, record.TextData);
        Assert.Equal([255, 255, 208], record.TextParts.Select(part => part.Length));
    }

    [Fact]
    public async Task Server_answers_nxdomain_for_unknown_names_and_nodata_for_a_missing_type()
    {
        var unknown = await AskAsync(Udp(), "nowhere.example.com", RecordType.Txt);
        var missingType = await AskAsync(Udp(), "mx.example.com", RecordType.Txt);
        var emptyNonTerminal = await AskAsync(Udp(), "_domainkey.example.com", RecordType.Txt);

        Assert.Equal(ReturnCode.NxDomain, unknown.ReturnCode);
        Assert.Equal((ReturnCode.NoError, 0), (missingType.ReturnCode, missingType.AnswerRecords.Count));
        Assert.Equal((ReturnCode.NoError, 0), (emptyNonTerminal.ReturnCode, emptyNonTerminal.AnswerRecords.Count));
    }

    [Fact]
    public async Task Server_answers_servfail_for_servfail_names_and_nothing_for_timeout_names()
    {
        var broken = await AskAsync(Udp(), "broken.example.com", RecordType.Txt);
        var slow = await Udp().ResolveAsync(DomainName.Parse("slow.example.com"), RecordType.Txt);

        Assert.Equal(ReturnCode.ServerFailure, broken.ReturnCode);
        Assert.Null(slow);
        Assert.Equal(1, _server.QueryCount("slow.example.com", "TXT"));
    }

    [Fact]
    public async Task Server_counts_queries_per_name_and_type()
    {
        await AskAsync(Udp(), "example.com", RecordType.Txt);
        await AskAsync(Udp(), "EXAMPLE.com.", RecordType.Txt);
        await AskAsync(Udp(), "example.com", RecordType.Mx);

        Assert.Equal(2, _server.QueryCount("example.com", "TXT"));
        Assert.Equal(1, _server.QueryCount("example.com.", "mx"));
        Assert.Equal(0, _server.QueryCount("example.com", "A"));
    }

    [Fact]
    public void Zone_loads_from_json_with_a_default_ttl()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "zone.json");
        File.WriteAllText(path, """
            { "records": [ { "name": "example.com", "type": "TXT", "value": "v=spf1 -all" } ],
              "timeout": [ "slow.example.com" ], "servfail": [ "broken.example.com" ] }
            """);

        var zone = DnsZone.Load(path);

        Assert.Equal(new DnsZoneRecord("example.com", "TXT", "v=spf1 -all", 300), Assert.Single(zone.Records));
        Assert.Equal(["slow.example.com"], zone.TimeoutNames);
        Assert.Equal(["broken.example.com"], zone.ServfailNames);
    }

    // One transport each, so a test sees what that transport carries (ARSoft would otherwise retry a truncated UDP answer over TCP).
    private ArsoftClient Udp() => new([IPAddress.Loopback], [new UdpClientTransport(_server.EndPoint.Port)], true, 1000);

    private ArsoftClient Tcp() => new([IPAddress.Loopback], [new TcpClientTransport(_server.EndPoint.Port)], true, 1000);

    private static async Task<DnsMessage> AskAsync(ArsoftClient client, string name, RecordType type) =>
        await client.ResolveAsync(DomainName.Parse(name), type) ?? throw new TimeoutException($"no answer for {name} {type}");
}
