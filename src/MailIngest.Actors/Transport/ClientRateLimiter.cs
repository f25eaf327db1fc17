using System.Collections.Concurrent;
using System.Net;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Transport;

/// <summary>
/// Transactions per minute per client address, node-wide: a token bucket per address that holds one minute's worth
/// and refills continuously, so a client may burst up to the limit and then continues at the limit's pace.
/// Trusted networks (internal relays) are not limited. Buckets of addresses that went quiet are dropped when the
/// table grows, so a scan from many addresses costs bounded memory.
/// </summary>
public sealed class ClientRateLimiter(int perMinute, TrustedNetworks trusted, TimeProvider clock) : ISendingRateLimit
{
    private const int SweepAbove = 10_000;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();

    /// <inheritdoc />
    public bool TryStartTransaction(IPAddress client)
    {
        if (trusted.Contains(client)) return true;
        var now = clock.GetTimestamp();
        if (_buckets.Count > SweepAbove) Sweep(now);
        var bucket = _buckets.GetOrAdd(client, static (_, state) => new Bucket(state.perMinute, state.now), (perMinute, now));
        lock (bucket) return bucket.TryTake(perMinute, clock.GetElapsedTime(bucket.RefilledAt, now), now);
    }

    private void Sweep(long now)
    {
        foreach (var (address, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (clock.GetElapsedTime(bucket.RefilledAt, now) >= TimeSpan.FromMinutes(1)) _buckets.TryRemove(address, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long refilledAt)
    {
        private double _tokens = tokens;

        public long RefilledAt { get; private set; } = refilledAt;

        public bool TryTake(int perMinute, TimeSpan elapsed, long now)
        {
            _tokens = Math.Min(perMinute, _tokens + elapsed.TotalMinutes * perMinute);
            RefilledAt = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
