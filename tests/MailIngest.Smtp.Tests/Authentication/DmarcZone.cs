using System.Net;
using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

/// <summary>An in-memory DNS zone for DMARC tests: TXT answers by name; every other query and unknown name is NXDOMAIN.</summary>
internal sealed class DmarcZone : IDnsLookup
{
    private readonly Dictionary<string, DnsAnswer<string>> _txt = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The TXT names asked for, in order.</summary>
    public List<string> Queries { get; } = [];

    public DmarcZone Txt(string name, params string[] records)
    {
        _txt[name] = DnsAnswer<string>.Of(records);
        return this;
    }

    public DmarcZone TempFail(string name)
    {
        _txt[name] = DnsAnswer<string>.TempFail;
        return this;
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellation)
    {
        Queries.Add(name);
        return Task.FromResult(_txt.GetValueOrDefault(name, DnsAnswer<string>.NxDomain));
    }

    public Task<DnsAnswer<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellation) =>
        Task.FromResult(DnsAnswer<IPAddress>.NxDomain);

    public Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellation) =>
        Task.FromResult(DnsAnswer<string>.NxDomain);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellation) =>
        Task.FromResult(DnsAnswer<string>.NxDomain);
}
