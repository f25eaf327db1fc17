using System.Net;
using System.Net.Sockets;
using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

/// <summary>
/// An in-memory DNS zone for the SPF tests. A name with no record of any type is NXDOMAIN, a name with records of
/// other types answers NODATA, and a name marked failing answers every query with TempFail. PTR records live at the
/// address's text. Every query is counted.
/// </summary>
internal sealed class ZoneLookup : IDnsLookup
{
    private readonly Dictionary<(string Name, string Type), List<string>> records = [];
    private readonly HashSet<string> failing = new(StringComparer.OrdinalIgnoreCase);

    public int Queries { get; private set; }

    public ZoneLookup Txt(string name, params string[] values) => Add(name, "TXT", values);

    public ZoneLookup Mx(string name, params string[] exchanges) => Add(name, "MX", exchanges);

    public ZoneLookup Ptr(string address, params string[] names) => Add(IPAddress.Parse(address).ToString(), "PTR", names);

    /// <summary>A or AAAA records, by each address's family.</summary>
    public ZoneLookup Address(string name, params string[] addresses)
    {
        foreach (var address in addresses.Select(IPAddress.Parse))
        {
            Add(name, address.AddressFamily == AddressFamily.InterNetworkV6 ? "AAAA" : "A", address.ToString());
        }

        return this;
    }

    /// <summary>Every query of <paramref name="name"/> times out.</summary>
    public ZoneLookup Failing(string name)
    {
        failing.Add(Key(name));
        return this;
    }

    /// <summary>check_host() against this zone.</summary>
    public Task<SpfVerdict> CheckAsync(string client, string reversePath, string helo = "mail.example.net") =>
        new SpfEvaluator(this).CheckAsync(IPAddress.Parse(client), reversePath, helo, CancellationToken.None);

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellation) => Answer(name, "TXT", text => text);

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellation) =>
        Answer(name, ipv6 ? "AAAA" : "A", IPAddress.Parse);

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellation) => Answer(name, "MX", text => text);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellation) =>
        Answer(address.ToString(), "PTR", text => text);

    private ZoneLookup Add(string name, string type, params string[] values)
    {
        var key = (Key(name), type);
        if (!records.TryGetValue(key, out var list)) records[key] = list = [];
        list.AddRange(values);
        return this;
    }

    private Task<DnsAnswer<T>> Answer<T>(string name, string type, Func<string, T> read)
    {
        Queries++;
        name = Key(name);
        if (failing.Contains(name)) return Task.FromResult(DnsAnswer<T>.TempFail);
        if (records.TryGetValue((name, type), out var values)) return Task.FromResult(DnsAnswer<T>.Of(values.Select(read).ToList()));
        var exists = records.Keys.Any(key => key.Name == name);
        return Task.FromResult(exists ? DnsAnswer<T>.Of([]) : DnsAnswer<T>.NxDomain);
    }

    private static string Key(string name) => name.TrimEnd('.').ToLowerInvariant();
}
