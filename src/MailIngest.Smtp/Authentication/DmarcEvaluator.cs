namespace MailIngest.Smtp.Authentication;

/// <summary>
/// DMARC (RFC 7489): finds the RFC5322.From domain's policy in DNS and decides whether SPF or DKIM passed for a
/// domain aligned with it. Never throws for a bad record or a DNS failure; those become verdicts.
/// </summary>
public sealed class DmarcEvaluator(IDnsLookup dns, PublicSuffixList suffixes)
{
    /// <summary>Evaluates one message.</summary>
    /// <param name="fromDomain">The RFC5322.From domain; the caller deals with a missing or repeated From.</param>
    /// <param name="spfResult">The SPF result.</param>
    /// <param name="spfDomain">The domain SPF checked (the MAIL FROM domain, or the HELO name for a null sender).</param>
    /// <param name="dkim">Each DKIM signature's result and its d= domain.</param>
    /// <param name="sampleRoll">A number in [0, 100) for "pct" sampling: the policy applies when it is below pct.</param>
    /// <param name="cancellation">Cancels the DNS queries.</param>
    public async Task<DmarcVerdict> EvaluateAsync(
        string fromDomain,
        AuthResult spfResult,
        string? spfDomain,
        IReadOnlyList<(AuthResult Result, string Domain)> dkim,
        int sampleRoll,
        CancellationToken cancellation)
    {
        if (DomainName.Normalize(fromDomain) is not { } from)
        {
            return new DmarcVerdict(AuthResult.PermError, fromDomain, null, null, "the From domain is not a domain name");
        }

        // §6.6.3: the From domain's own record first; only when it publishes none, the Organizational Domain's.
        var organizational = OrganizationalDomain(from);
        var queried = from;
        var found = await DiscoverAsync(from, cancellation);
        if (found is { TempFail: false, Count: 0 } && organizational != from)
        {
            queried = organizational;
            found = await DiscoverAsync(organizational, cancellation);
        }

        if (found.TempFail)
        {
            return new DmarcVerdict(AuthResult.TempError, from, null, null, $"DNS lookup of _dmarc.{queried} failed for now");
        }

        if (found.Record is not { } record)
        {
            return new DmarcVerdict(AuthResult.None, from, null, null, found.Count switch
            {
                0 => "no DMARC record",
                // §6.6.3 step 6: an invalid record (without a usable rua) means no DMARC processing.
                1 => $"the DMARC record at _dmarc.{queried} has no valid policy",
                // §6.6.3 step 5: several records stop policy discovery; they do not send it on to the parent.
                _ => $"{found.Count} DMARC records at _dmarc.{queried}",
            });
        }

        var policy = queried == from ? record.Policy : record.SubdomainPolicy ?? record.Policy;
        if (spfResult == AuthResult.Pass && Aligned(spfDomain, from, organizational, record.SpfAlignment))
        {
            return new DmarcVerdict(AuthResult.Pass, from, Word(policy), null, $"SPF passed for aligned {spfDomain}");
        }

        foreach (var (result, domain) in dkim)
        {
            if (result == AuthResult.Pass && Aligned(domain, from, organizational, record.DkimAlignment))
            {
                return new DmarcVerdict(AuthResult.Pass, from, Word(policy), null, $"DKIM passed for aligned d={domain}");
            }
        }

        // §6.6.4: a message outside the pct sample gets the next milder policy.
        var sampled = sampleRoll < record.Percent;
        var applied = sampled || policy == DmarcPolicy.None ? policy : policy - 1;
        var reason = sampled ? "no aligned SPF or DKIM pass" : $"no aligned SPF or DKIM pass; not sampled (pct={record.Percent})";
        return new DmarcVerdict(AuthResult.Fail, from, Word(policy), Word(applied), reason);
    }

    /// <summary>
    /// The TXT records at _dmarc.<paramref name="domain"/> that call themselves DMARC (§6.6.3 steps 1-2): how many,
    /// and the one parsed when there is exactly one and it is valid.
    /// </summary>
    private async Task<(bool TempFail, int Count, DmarcRecord? Record)> DiscoverAsync(string domain, CancellationToken cancellation)
    {
        var answer = await dns.TxtAsync("_dmarc." + domain, cancellation);
        if (answer.Status == DnsStatus.TempFail)
        {
            return (true, 0, null);
        }

        var candidates = answer.Records.Where(DmarcRecord.HasDmarcVersion).ToList();
        return (false, candidates.Count, candidates.Count == 1 ? DmarcRecord.Parse(candidates[0]) : null);
    }

    /// <summary>
    /// Identifier alignment (§3.1): strict asks for the very domain, relaxed for the same Organizational Domain.
    /// <paramref name="from"/> is already normalised and <paramref name="fromOrganizational"/> is its Organizational Domain.
    /// </summary>
    private bool Aligned(string? domain, string from, string fromOrganizational, DmarcAlignment alignment) =>
        DomainName.Normalize(domain) is { } normalized
        && (alignment == DmarcAlignment.Strict ? normalized == from : OrganizationalDomain(normalized) == fromOrganizational);

    // A name that is itself a public suffix has no Organizational Domain above it; it stands for itself.
    private string OrganizationalDomain(string domain) => suffixes.OrganizationalDomain(domain) ?? domain;

    private static string Word(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Quarantine => "quarantine",
        DmarcPolicy.Reject => "reject",
        _ => "none",
    };
}
