using System.Collections.Concurrent;
using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Authentication;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Authentication;

/// <summary>
/// The one resolver behind SPF, DKIM, DMARC and ARC. Answers are cached for their TTL (a negative answer for its SOA's
/// minimum, RFC 2308 §5), and a question already on the wire is not asked again: a thousand messages from one domain
/// in the same second make one query per record. A failed query (timeout, SERVFAIL, a network error) is
/// <see cref="DnsStatus.TempFail"/>, never an exception, and is not cached, so the next message asks again.
/// </summary>
public sealed partial class DnsResolver : IDnsLookup
{
    // A negative answer without an SOA (some servers omit it) is kept this long; RFC 2308 suggests 1–3 hours as the
    // ceiling for negative caching, so this is on the short side of it.
    private static readonly TimeSpan NegativeWithoutSoa = TimeSpan.FromMinutes(5);

    // Bounds memory whatever the senders: past this many names the expired ones go, then all if that is not enough.
    private const int MaxEntries = 100_000;

    private readonly LookupClient _client;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;
    private readonly ILogger<DnsResolver> _logger;
    private readonly ConcurrentDictionary<(string Name, QueryType Type), Entry> _cache = new();

    /// <summary>A resolver asking <paramref name="servers"/> (the system's when empty), each query bounded by <paramref name="timeout"/>.</summary>
    public DnsResolver(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout, TimeProvider clock, ILogger<DnsResolver> logger)
    {
        var options = servers.Count == 0 ? new LookupClientOptions() : new LookupClientOptions(servers.Select(s => new NameServer(s)).ToArray());
        // One retry inside the bound: a single lost UDP datagram should not make a temperror. The answers' own cache
        // is ours (TTL-honouring, negative answers, in-flight sharing), not the library's.
        options.UseCache = false;
        options.Retries = 1;
        options.Timeout = timeout / 2;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.UseTcpFallback = true;
        _client = new LookupClient(options);
        _timeout = timeout;
        _clock = clock;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellation) =>
        Ask(name, QueryType.TXT, response => response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToArray(), cancellation);

    /// <inheritdoc />
    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellation) => ipv6
        ? Ask(name, QueryType.AAAA, response => response.Answers.AaaaRecords().Select(r => r.Address).ToArray(), cancellation)
        : Ask(name, QueryType.A, response => response.Answers.ARecords().Select(r => r.Address).ToArray(), cancellation);

    /// <inheritdoc />
    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellation) =>
        Ask(name, QueryType.MX, response => response.Answers.MxRecords()
            .OrderBy(r => r.Preference)
            .Select(r => Plain(r.Exchange))
            .ToArray(), cancellation);

    /// <inheritdoc />
    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellation) =>
        Ask(address.GetArpaName(), QueryType.PTR, response => response.Answers.PtrRecords().Select(r => Plain(r.PtrDomainName)).ToArray(), cancellation);

    private async Task<DnsAnswer<T>> Ask<T>(string name, QueryType type, Func<IDnsQueryResponse, IReadOnlyList<T>> records, CancellationToken cancellation)
    {
        var key = (name.TrimEnd('.').ToLowerInvariant(), type);
        var now = _clock.GetUtcNow();
        if (!_cache.TryGetValue(key, out var entry) || entry.ExpiredAt(now))
        {
            var asked = new Entry();
            entry = _cache.AddOrUpdate(key, asked, (_, old) => old.ExpiredAt(now) ? asked : old);
            if (ReferenceEquals(entry, asked))
            {
                Prune(now);
                _ = Fill(key, asked, Query(key.Item1, type, records));
            }
        }

        return (DnsAnswer<T>)(await entry.Answer.WaitAsync(cancellation)).Answer;
    }

    private async Task<Resolved> Query<T>(string name, QueryType type, Func<IDnsQueryResponse, IReadOnlyList<T>> records)
    {
        MailIngestMeter.DnsQueries.Add(1, new KeyValuePair<string, object?>("type", type.ToString()));
        using var bound = new CancellationTokenSource(_timeout, _clock);
        try
        {
            var response = await _client.QueryAsync(name, type, QueryClass.IN, bound.Token);
            var answer = response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError => DnsAnswer<T>.Of(records(response)),
                DnsHeaderResponseCode.NotExistentDomain => DnsAnswer<T>.NxDomain,
                _ => DnsAnswer<T>.TempFail,
            };
            if (answer.Status != DnsStatus.TempFail) return new Resolved(answer, Ttl(response));
            LogFailed(name, type.ToString(), response.Header.ResponseCode.ToString());
            return new Resolved(answer, null);
        }
        catch (Exception error) when (error is DnsResponseException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            LogFailed(name, type.ToString(), error.Message);
            return new Resolved(DnsAnswer<T>.TempFail, null);
        }
    }

    /// <summary>The lowest TTL among the answers; for a negative answer the SOA's (RFC 2308 §5: the smaller of its TTL and MINIMUM).</summary>
    private static TimeSpan Ttl(IDnsQueryResponse response)
    {
        if (response.Answers.Count > 0) return TimeSpan.FromSeconds(response.Answers.Min(r => r.TimeToLive));
        var soa = response.Authorities.SoaRecords().FirstOrDefault();
        return soa is null ? NegativeWithoutSoa : TimeSpan.FromSeconds(Math.Min(soa.TimeToLive, soa.Minimum));
    }

    private async Task Fill((string, QueryType) key, Entry entry, Task<Resolved> query)
    {
        var resolved = await query;
        if (resolved.Ttl is { } ttl && ttl > TimeSpan.Zero) entry.Keep(_clock.GetUtcNow() + ttl);
        else _cache.TryRemove(new KeyValuePair<(string, QueryType), Entry>(key, entry));
        entry.Answered(resolved);
    }

    private void Prune(DateTimeOffset now)
    {
        if (_cache.Count <= MaxEntries) return;
        foreach (var (key, entry) in _cache)
        {
            if (entry.ExpiredAt(now)) _cache.TryRemove(key, out _);
        }

        if (_cache.Count > MaxEntries) _cache.Clear();
    }

    private static string Plain(DnsString name) => name.Value.TrimEnd('.');

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS {Type} query for {Name} failed: {Reason}")]
    private partial void LogFailed(string name, string type, string reason);

    /// <summary>An answer and how long it may be kept (null: not at all, a temporary failure).</summary>
    private sealed record Resolved(object Answer, TimeSpan? Ttl);

    /// <summary>A question in flight (shared by every asker) or answered until it expires.</summary>
    private sealed class Entry
    {
        private readonly TaskCompletionSource<Resolved> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // UTC ticks; 0 while in flight. A long, read and written atomically, because askers on other threads read it.
        private long _expires;

        public Task<Resolved> Answer => _answer.Task;

        public bool ExpiredAt(DateTimeOffset now) => Interlocked.Read(ref _expires) is var at && at != 0 && at <= now.UtcTicks;

        public void Keep(DateTimeOffset until) => Interlocked.Exchange(ref _expires, until.UtcTicks);

        public void Answered(Resolved resolved) => _answer.SetResult(resolved);
    }
}
