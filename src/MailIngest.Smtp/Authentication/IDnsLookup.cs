using System.Net;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// The DNS queries SPF, DKIM, DMARC and ARC need. An implementation never throws for a DNS failure: a timeout,
/// SERVFAIL or refused query is <see cref="DnsStatus.TempFail"/>, which the checks turn into temperror.
/// </summary>
public interface IDnsLookup
{
    /// <summary>TXT records at <paramref name="name"/>, each record's character-strings joined without separator.</summary>
    Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken cancellation);

    /// <summary>A (or, with <paramref name="ipv6"/>, AAAA) records at <paramref name="name"/>.</summary>
    Task<DnsAnswer<IPAddress>> AddressesAsync(string name, bool ipv6, CancellationToken cancellation);

    /// <summary>MX exchange names at <paramref name="name"/>, lowest preference first.</summary>
    Task<DnsAnswer<string>> MxAsync(string name, CancellationToken cancellation);

    /// <summary>PTR names for <paramref name="address"/> (the query at its in-addr.arpa or ip6.arpa name).</summary>
    Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken cancellation);
}
