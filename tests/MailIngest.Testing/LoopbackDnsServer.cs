using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace MailIngest.Testing;

/// <summary>
/// A real DNS server on 127.0.0.1, UDP and TCP on one free port, serving a <see cref="DnsZone"/> authoritatively:
/// a name with no records (and none below it) is NXDOMAIN, a known name without the asked type is NODATA (NOERROR,
/// no answer), a timeout name is never answered, a servfail name gets SERVFAIL. A UDP answer over 512 bytes is sent
/// truncated (TC set) so the client asks again over TCP, as with a 2048-bit DKIM key. Counts every query it receives
/// per (name, type), over either transport, so a test can see what a resolver cached.
/// </summary>
public sealed class LoopbackDnsServer : IAsyncDisposable
{
    private const int MaxCharacterString = 255;

    private readonly ILookup<string, DnsZoneRecord> _records;
    private readonly HashSet<string> _knownNames;
    private readonly HashSet<string> _timeoutNames;
    private readonly HashSet<string> _servfailNames;
    private readonly ConcurrentDictionary<(string Name, string Type), int> _queries = new();
    private readonly CancellationTokenSource _stopping = new();
    private DnsServer? _server;
    private IServerTransport[] _transports = [];

    private LoopbackDnsServer(DnsZone zone)
    {
        foreach (var record in zone.Records) Validate(record);
        _records = zone.Records.ToLookup(record => Normalize(record.Name));
        // A name exists if it or any name below it has records (RFC 8020): an empty non-terminal is NODATA, not NXDOMAIN.
        _knownNames = zone.Records.SelectMany(record => SelfAndAncestors(Normalize(record.Name))).ToHashSet();
        _timeoutNames = zone.TimeoutNames.Select(Normalize).ToHashSet();
        _servfailNames = zone.ServfailNames.Select(Normalize).ToHashSet();
    }

    /// <summary>Where the server listens (UDP and TCP).</summary>
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);

    /// <summary>Starts a server for <paramref name="zone"/> on a free loopback port.</summary>
    public static LoopbackDnsServer Start(DnsZone zone)
    {
        var server = new LoopbackDnsServer(zone);
        server.Listen();
        return server;
    }

    /// <summary>Starts a server for the zone in the JSON file at <paramref name="zonePath"/> (format: <see cref="DnsZone"/>).</summary>
    public static LoopbackDnsServer Start(string zonePath) => Start(DnsZone.Load(zonePath));

    /// <summary>How many queries for <paramref name="name"/> with <paramref name="type"/> (TXT, A, ...) arrived so far.</summary>
    public int QueryCount(string name, string type) => _queries.GetValueOrDefault((Normalize(name), type.ToUpperInvariant()));

    /// <summary>Every (name, type) asked so far with its count; names lower-case without trailing dot.</summary>
    public IReadOnlyDictionary<(string Name, string Type), int> QueryCounts() => new Dictionary<(string, string), int>(_queries);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Cancel first: the queries held for timeout names then end, and their late answers go nowhere.
        _stopping.Cancel();
        try
        {
            _server?.Stop();
        }
        catch (AggregateException stopping) when (stopping.InnerExceptions.All(e => e is OperationCanceledException))
        {
            // ARSoft's Stop waits on its accept tasks, started with the token it just cancelled: a server stopped before
            // they ran throws here before closing its sockets, which is done below in any case.
        }

        foreach (var transport in _transports) transport.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Listen()
    {
        // FreePort checks TCP only; the UDP port of the same number may be taken, so a bind failure means another try.
        for (var attempt = 0; ; attempt++)
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
            var udp = new UdpServerTransport(endPoint);
            var tcp = new TcpServerTransport(endPoint);
            var server = new DnsServer(udp, tcp);
            server.QueryReceived += AnswerAsync;
            try
            {
                server.Start();
                _server = server;
                _transports = [udp, tcp];
                EndPoint = endPoint;
                return;
            }
            catch (SocketException) when (attempt < 10)
            {
                udp.Dispose();
                tcp.Dispose();
            }
        }
    }

    private async Task AnswerAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query || query.Questions.Count != 1) return; // no Response: ARSoft answers SERVFAIL
        var question = query.Questions[0];
        var name = Normalize(question.Name.ToString());
        var type = question.RecordType.ToString().ToUpperInvariant();
        _queries.AddOrUpdate((name, type), 1, (_, count) => count + 1);

        if (_timeoutNames.Contains(name))
        {
            try
            {
                await Task.Delay(Timeout.Infinite, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the socket is closing, whatever is sent now is lost, as a timeout should be.
            }

            return;
        }

        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        if (_servfailNames.Contains(name))
        {
            response.ReturnCode = ReturnCode.ServerFailure;
        }
        else if (!_knownNames.Contains(name))
        {
            response.ReturnCode = ReturnCode.NxDomain;
        }
        else
        {
            response.ReturnCode = ReturnCode.NoError;
            foreach (var record in _records[name].Where(record => record.Type.Equals(type, StringComparison.OrdinalIgnoreCase)))
                response.AnswerRecords.Add(ToRecord(question.Name, record));
        }

        e.Response = response;
    }

    private static DnsRecordBase ToRecord(DomainName name, DnsZoneRecord record) => record.Type.ToUpperInvariant() switch
    {
        "TXT" => new TxtRecord(name, record.Ttl, CharacterStrings(record.Value)),
        "A" => new ARecord(name, record.Ttl, IPAddress.Parse(record.Value)),
        "AAAA" => new AaaaRecord(name, record.Ttl, IPAddress.Parse(record.Value)),
        "MX" => new MxRecord(name, record.Ttl, ushort.Parse(record.Value.Split(' ', 2)[0]), DomainName.Parse(record.Value.Split(' ', 2)[1].Trim())),
        "PTR" => new PtrRecord(name, record.Ttl, DomainName.Parse(record.Value)),
        _ => throw new InvalidOperationException($"Unsupported record type {record.Type}"),
    };

    // RFC 1035 §3.3: a character-string holds at most 255 bytes; longer TXT data is several strings, joined by readers.
    private static IEnumerable<string> CharacterStrings(string value)
    {
        if (Encoding.UTF8.GetByteCount(value) != value.Length) throw new InvalidOperationException($"TXT value is not ASCII: {value}");
        if (value.Length == 0) return [""];
        return value.Chunk(MaxCharacterString).Select(chunk => new string(chunk));
    }

    private static void Validate(DnsZoneRecord record)
    {
        var type = record.Type.ToUpperInvariant();
        if (type is not ("TXT" or "A" or "AAAA" or "MX" or "PTR")) throw new ArgumentException($"Unsupported record type {record.Type} at {record.Name}");
        if (type is "A" or "AAAA" && !IPAddress.TryParse(record.Value, out _)) throw new ArgumentException($"{record.Name} {type}: not an address: {record.Value}");
        if (type is "MX" && (record.Value.Split(' ', 2) is not [var preference, _] || !ushort.TryParse(preference, out _)))
            throw new ArgumentException($"{record.Name} MX: expected \"preference exchange\", got {record.Value}");
    }

    private static IEnumerable<string> SelfAndAncestors(string name)
    {
        for (var current = name; current.Length > 0; current = current.Contains('.') ? current[(current.IndexOf('.') + 1)..] : "")
            yield return current;
    }

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
