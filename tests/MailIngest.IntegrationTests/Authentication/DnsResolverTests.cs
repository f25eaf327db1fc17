using System.Net;
using MailIngest.Actors.Authentication;
using MailIngest.Smtp.Authentication;
using MailIngest.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// The node's resolver against a real DNS server on loopback: one query per question however many messages ask at
/// once, answers kept for their TTL, negative answers kept, failures (SERVFAIL, no answer) as TempFail and not kept.
/// </summary>
public sealed class DnsResolverTests : IAsyncLifetime
{
    private static readonly DnsZone Zone = new(
        [
            new DnsZoneRecord("sender.example", "TXT", "v=spf1 ip4:192.0.2.0/24 -all"),
            new DnsZoneRecord("short.example", "TXT", "v=spf1 -all", Ttl: 1),
            new DnsZoneRecord("sender.example", "A", "192.0.2.10"),
            new DnsZoneRecord("sender.example", "MX", "10 mx.sender.example"),
        ],
        ["silent.example"],
        ["broken.example"]);

    private readonly ManualClock _clock = new();
    private LoopbackDnsServer _server = null!;
    private DnsResolver _resolver = null!;

    public Task InitializeAsync()
    {
        _server = LoopbackDnsServer.Start(Zone);
        _resolver = new DnsResolver([_server.EndPoint], TimeSpan.FromMilliseconds(600), _clock, NullLogger<DnsResolver>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_thousand_concurrent_questions_make_one_query_and_later_ones_none()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => _resolver.TxtAsync("sender.example", CancellationToken.None)));
        var again = await _resolver.TxtAsync("SENDER.example.", CancellationToken.None);

        Assert.All(answers.Append(again), answer => Assert.Equal("v=spf1 ip4:192.0.2.0/24 -all", Assert.Single(answer.Records)));
        Assert.Equal(1, _server.QueryCount("sender.example", "TXT"));
    }

    [Fact]
    public async Task An_answer_is_asked_again_once_its_ttl_has_passed()
    {
        await _resolver.TxtAsync("short.example", CancellationToken.None);
        await _resolver.TxtAsync("short.example", CancellationToken.None);
        Assert.Equal(1, _server.QueryCount("short.example", "TXT"));

        _clock.Advance(TimeSpan.FromSeconds(2));
        await _resolver.TxtAsync("short.example", CancellationToken.None);

        Assert.Equal(2, _server.QueryCount("short.example", "TXT"));
    }

    [Fact]
    public async Task A_name_that_does_not_exist_is_NXDOMAIN_and_kept()
    {
        var first = await _resolver.TxtAsync("_dmarc.sender.example", CancellationToken.None);
        var second = await _resolver.TxtAsync("_dmarc.sender.example", CancellationToken.None);

        Assert.Equal(DnsStatus.NxDomain, first.Status);
        Assert.True(second.IsVoid);
        Assert.Equal(1, _server.QueryCount("_dmarc.sender.example", "TXT"));
    }

    [Fact]
    public async Task Addresses_and_exchanges_are_answered_and_a_missing_type_is_NODATA()
    {
        var a = await _resolver.AddressesAsync("sender.example", ipv6: false, CancellationToken.None);
        var aaaa = await _resolver.AddressesAsync("sender.example", ipv6: true, CancellationToken.None);
        var mx = await _resolver.MxAsync("sender.example", CancellationToken.None);

        Assert.Equal(IPAddress.Parse("192.0.2.10"), Assert.Single(a.Records));
        Assert.Equal((DnsStatus.Ok, 0), (aaaa.Status, aaaa.Records.Count));
        Assert.Equal("mx.sender.example", Assert.Single(mx.Records));
    }

    [Theory]
    [InlineData("broken.example")]
    [InlineData("silent.example")]
    public async Task SERVFAIL_or_no_answer_is_TempFail_never_an_exception_and_is_asked_again(string name)
    {
        // The bound is the resolver's 600 ms; the wait here only stops a hang from hanging the suite.
        var first = await _resolver.TxtAsync(name, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var second = await _resolver.TxtAsync(name, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DnsStatus.TempFail, first.Status);
        Assert.Equal(DnsStatus.TempFail, second.Status);
        Assert.True(_server.QueryCount(name, "TXT") >= 2, "a failure is not kept");
    }

    /// <summary>A clock the test moves; timers stay real (the resolver's bound on a query).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
