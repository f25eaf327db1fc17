using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// One SPF check: check_host() (RFC 7208 §4) with the counters of §4.6.4 shared by every include and redirect it
/// follows. Temperror and permerror are thrown as <see cref="SpfException"/>; the other results are returned.
/// </summary>
internal sealed class SpfEvaluation(IDnsLookup dns, SpfMacroContext sender, CancellationToken cancellation)
{
    /// <summary>§4.6.4: include, a, mx, ptr, exists and redirect query DNS; more than ten of them is permerror.</summary>
    private const int MaxLookups = 10;

    /// <summary>§4.6.4: more than two queries answered NXDOMAIN or with no records is permerror.</summary>
    private const int MaxVoidLookups = 2;

    /// <summary>§4.6.4: at most ten MX names (else permerror) and ten PTR names (the rest ignored) per term.</summary>
    private const int MaxNames = 10;

    private readonly bool ipv6 = sender.Client.AddressFamily == AddressFamily.InterNetworkV6;
    private int lookups;
    private int voidLookups;
    private IReadOnlyList<string>? validatedNames;

    public async Task<(AuthResult Result, string? Reason)> CheckHostAsync(string domain)
    {
        // §4.3: a name that cannot be a host name, or does not exist, has no SPF.
        if (!IsDomainName(domain)) return (AuthResult.None, $"\"{domain}\" is not a domain name");
        var answer = await QueryAsync(domain, "TXT", dns.TxtAsync);
        if (answer.Status == DnsStatus.NxDomain) return (AuthResult.None, $"{domain} does not exist");
        var records = answer.Records.Where(SpfRecord.IsSpf).ToList();
        if (records.Count == 0) return (AuthResult.None, $"no SPF record for {domain}");
        if (records.Count > 1) throw SpfException.Permanent($"more than one SPF record for {domain}");
        var record = SpfRecord.Parse(records[0]);
        var context = sender with { Domain = domain };
        foreach (var term in record.Mechanisms)
        {
            // §4.6.2: the first mechanism that matches gives its qualifier's result.
            if (await MatchesAsync(term, context)) return (term.Qualifier, term.Qualifier == AuthResult.Pass ? null : $"matched {term.Text}");
        }

        // §4.7: with no match, a redirect decides (§6.1, where a target without a record is permerror); else neutral.
        if (record.Redirect is null) return (AuthResult.Neutral, "no mechanism matched");
        var target = await CountedTargetAsync(record.Redirect, context);
        var (result, reason) = await CheckHostAsync(target);
        return result == AuthResult.None ? throw SpfException.Permanent($"redirect={target}: {reason}") : (result, reason);
    }

    private async Task<bool> MatchesAsync(SpfTerm term, SpfMacroContext context) => term.Mechanism switch
    {
        SpfMechanism.All => true,
        SpfMechanism.Ip4 or SpfMechanism.Ip6 => term.Network is { } network && term.Covers(network, context.Client),
        SpfMechanism.Include => await IncludeMatchesAsync(await CountedTargetAsync(term.Target, context)),
        SpfMechanism.A => await AddressesMatchAsync(term, await CountedTargetAsync(term.Target, context), countVoid: true),
        SpfMechanism.Mx => await MxMatchesAsync(term, await CountedTargetAsync(term.Target, context)),
        SpfMechanism.Ptr => await PtrMatchesAsync(await CountedTargetAsync(term.Target, context)),
        SpfMechanism.Exists => await ExistsAsync(await CountedTargetAsync(term.Target, context)),
        _ => throw new UnreachableException(),
    };

    /// <summary>§5.2: the included record's pass is a match, fail, softfail and neutral are not, none is permerror.</summary>
    private async Task<bool> IncludeMatchesAsync(string target)
    {
        var (result, reason) = await CheckHostAsync(target);
        return result switch
        {
            AuthResult.Pass => true,
            AuthResult.None => throw SpfException.Permanent($"include:{target}: {reason}"),
            _ => false,
        };
    }

    /// <summary>§5.3 and §5.4: A records for an IPv4 client, AAAA for IPv6, within the term's CIDR length.</summary>
    private async Task<bool> AddressesMatchAsync(SpfTerm term, string name, bool countVoid)
    {
        var answer = await QueryAsync(name, ipv6 ? "AAAA" : "A", (host, token) => dns.AddressesAsync(host, ipv6, token));
        if (countVoid) CountVoid(answer);
        return answer.Records.Any(address => term.Covers(address, sender.Client));
    }

    private async Task<bool> MxMatchesAsync(SpfTerm term, string target)
    {
        var exchanges = await QueryAsync(target, "MX", dns.MxAsync);
        CountVoid(exchanges);
        if (exchanges.Records.Count > MaxNames) throw SpfException.Permanent($"more than {MaxNames} MX names for {target}");
        foreach (var exchange in exchanges.Records)
        {
            if (await AddressesMatchAsync(term, exchange, countVoid: false)) return true;
        }

        return false;
    }

    /// <summary>§5.5: a validated name of the client that is the target or a subdomain of it.</summary>
    private async Task<bool> PtrMatchesAsync(string target) =>
        (await ValidatedNamesAsync()).Any(name => IsWithin(name, target));

    /// <summary>§5.7: an A query, even for an IPv6 client; any record matches.</summary>
    private async Task<bool> ExistsAsync(string target)
    {
        var answer = await QueryAsync(target, "A", (host, token) => dns.AddressesAsync(host, false, token));
        CountVoid(answer);
        return answer.Records.Count > 0;
    }

    /// <summary>Counts a DNS-querying term (§4.6.4) and expands its domain-spec; no domain-spec means the current domain.</summary>
    private async Task<string> CountedTargetAsync(SpfMacro? target, SpfMacroContext context)
    {
        if (++lookups > MaxLookups) throw SpfException.Permanent("too many DNS lookups");
        if (target is null) return context.Domain;
        if (target.UsesValidatedName) context = context with { ValidatedName = await PreferredNameAsync(context.Domain) };
        return target.ExpandDomain(context);
    }

    /// <summary>
    /// §7.3's %{p}: a validated name that is the domain or under it, else any validated name, else "unknown". Its
    /// DNS failures give "unknown" rather than temperror, as §7.3 says.
    /// </summary>
    private async Task<string> PreferredNameAsync(string domain)
    {
        var names = await ValidatedNamesAsync();
        return names.FirstOrDefault(name => IsWithin(name, domain)) ?? names.FirstOrDefault() ?? "unknown";
    }

    /// <summary>
    /// §5.5: the client's PTR names (the first ten) whose addresses include the client. A failed query here drops
    /// the name instead of ending the check, as §5.5 says. The answer does not depend on the domain, so it is kept.
    /// </summary>
    private async Task<IReadOnlyList<string>> ValidatedNamesAsync()
    {
        if (validatedNames is not null) return validatedNames;
        var validated = new List<string>();
        var pointers = await dns.PtrAsync(sender.Client, cancellation);
        foreach (var name in pointers.Records.Take(MaxNames).Select(name => name.TrimEnd('.')))
        {
            if (!IsDomainName(name)) continue;
            var addresses = await dns.AddressesAsync(name, ipv6, cancellation);
            if (addresses.Records.Contains(sender.Client)) validated.Add(name);
        }

        return validatedNames = validated;
    }

    /// <summary>
    /// One query; a temporary failure ends the check with temperror (§4.4, §5). A name that cannot exist is not
    /// asked about and answers NXDOMAIN, which is what a resolver would say of it.
    /// </summary>
    private async Task<DnsAnswer<T>> QueryAsync<T>(
        string name,
        string type,
        Func<string, CancellationToken, Task<DnsAnswer<T>>> query)
    {
        var answer = IsDomainName(name) ? await query(name, cancellation) : DnsAnswer<T>.NxDomain;
        return answer.Status == DnsStatus.TempFail
            ? throw new SpfException(AuthResult.TempError, $"DNS timeout for {name} {type}")
            : answer;
    }

    private void CountVoid<T>(DnsAnswer<T> answer)
    {
        if (answer.IsVoid && ++voidLookups > MaxVoidLookups) throw SpfException.Permanent("too many void DNS lookups");
    }

    /// <summary>§4.3: a well-formed name (labels of 1 to 63 characters, 253 in all) of at least two labels, an ending dot allowed.</summary>
    private static bool IsDomainName(string name)
    {
        var trimmed = name.EndsWith('.') ? name.AsSpan(0, name.Length - 1) : name;
        return trimmed.Contains('.') && DomainName.IsWellFormed(trimmed);
    }

    private static bool IsWithin(string name, string domain)
    {
        domain = domain.TrimEnd('.');
        return name.Equals(domain, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase);
    }
}
