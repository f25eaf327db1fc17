using System.Net;
using MailIngest.Actors.Transport;

namespace MailIngest.Actors.Specs.Transport;

public sealed class ClientRateLimiterSpecs
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");
    private static readonly IPAddress Other = IPAddress.Parse("192.0.2.8");
    private static readonly TrustedNetworks Loopback = new([IPNetwork.Parse("127.0.0.0/8")]);

    [Fact]
    public void A_client_may_burst_up_to_the_limit_then_one_more_per_share_of_a_minute()
    {
        var clock = new ManualClock();
        var limiter = new ClientRateLimiter(perMinute: 3, Loopback, clock);

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.TryStartTransaction(Client)));
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.False(limiter.TryStartTransaction(Client));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryStartTransaction(Client));
        Assert.False(limiter.TryStartTransaction(Client));
    }

    [Fact]
    public void Clients_are_counted_apart_and_trusted_networks_are_not_limited()
    {
        var limiter = new ClientRateLimiter(perMinute: 1, Loopback, new ManualClock());

        Assert.True(limiter.TryStartTransaction(Client));
        Assert.False(limiter.TryStartTransaction(Client));
        Assert.True(limiter.TryStartTransaction(Other));
        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(limiter.TryStartTransaction(IPAddress.Loopback)));
    }

    [Fact]
    public void A_long_quiet_client_gets_a_full_minute_of_budget_not_more()
    {
        var clock = new ManualClock();
        var limiter = new ClientRateLimiter(perMinute: 2, Loopback, clock);
        Assert.True(limiter.TryStartTransaction(Client));

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => limiter.TryStartTransaction(Client)));
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
