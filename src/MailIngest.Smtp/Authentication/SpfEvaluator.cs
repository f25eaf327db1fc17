using System.Net;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// RFC 7208 SPF for the MAIL FROM identity. All DNS goes through <paramref name="dns"/>; a bad record or a failed
/// query becomes a verdict (permerror, temperror), never an exception.
/// </summary>
public sealed class SpfEvaluator(IDnsLookup dns)
{
    /// <summary>
    /// check_host() (§4) for the domain of <paramref name="reversePath"/> or, when the reverse path is null (the
    /// empty string), for <paramref name="helo"/> with the local part "postmaster" (§2.4).
    /// </summary>
    /// <param name="client">The SMTP client's address; an IPv4-mapped IPv6 address is checked as IPv4.</param>
    /// <param name="reversePath">The MAIL FROM address without angle brackets, or "" for the null path.</param>
    /// <param name="helo">The HELO/EHLO argument (%{h}).</param>
    /// <param name="cancellation">Cancels the DNS queries; cancelling throws <see cref="OperationCanceledException"/>.</param>
    public async Task<SpfVerdict> CheckAsync(IPAddress client, string reversePath, string helo, CancellationToken cancellation)
    {
        var at = reversePath.LastIndexOf('@');
        var domain = reversePath.Length == 0 ? helo : reversePath[(at + 1)..];
        // §4.3: a sender with no local part is checked as postmaster.
        var localPart = at > 0 ? reversePath[..at] : "postmaster";
        var context = new SpfMacroContext(
            localPart,
            domain,
            domain,
            client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client,
            helo,
            "unknown");
        try
        {
            var (result, reason) = await new SpfEvaluation(dns, context, cancellation).CheckHostAsync(domain);
            return new SpfVerdict(result, domain, reason);
        }
        catch (SpfException error)
        {
            return new SpfVerdict(error.Result, domain, error.Message);
        }
    }
}
