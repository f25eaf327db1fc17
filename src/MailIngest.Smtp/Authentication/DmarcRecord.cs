using System.Globalization;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// A DMARC policy record (RFC 7489 §6.3), the TXT record at _dmarc.&lt;domain&gt;. Only the tags that decide what
/// happens to a message are kept; the reporting tags (rua, ruf, fo, rf, ri) are read only where §6.6.3 needs them.
/// </summary>
/// <param name="Policy">"p": the policy for the domain itself.</param>
/// <param name="SubdomainPolicy">"sp": the policy for its subdomains, null when absent (then <paramref name="Policy"/> applies).</param>
/// <param name="Percent">"pct": the share of failing mail, 0-100, the policy is applied to (§6.6.4).</param>
/// <param name="DkimAlignment">"adkim".</param>
/// <param name="SpfAlignment">"aspf".</param>
public sealed record DmarcRecord(
    DmarcPolicy Policy,
    DmarcPolicy? SubdomainPolicy,
    int Percent,
    DmarcAlignment DkimAlignment,
    DmarcAlignment SpfAlignment)
{
    private const int DefaultPercent = 100;

    /// <summary>
    /// The record in <paramref name="txt"/>, or null when it is not a DMARC record (no leading "v=DMARC1") or is
    /// invalid: a missing or unknown "p", or an unknown "sp", with no usable "rua" (§6.6.3 step 6; with one, the
    /// record acts as p=none). Other malformed values fall back to their defaults and unknown tags are ignored,
    /// as §6.3 asks.
    /// </summary>
    public static DmarcRecord? Parse(string txt)
    {
        if (!HasDmarcVersion(txt))
        {
            return null;
        }

        var tags = Tags(txt);
        var policy = PolicyOf(tags.GetValueOrDefault("p"));
        var subdomainPolicy = PolicyOf(tags.GetValueOrDefault("sp"));
        if (policy is null || (tags.ContainsKey("sp") && subdomainPolicy is null))
        {
            return HasReportAddress(tags.GetValueOrDefault("rua"))
                ? new DmarcRecord(DmarcPolicy.None, null, DefaultPercent, DmarcAlignment.Relaxed, DmarcAlignment.Relaxed)
                : null;
        }

        return new DmarcRecord(
            policy.Value,
            subdomainPolicy,
            PercentOf(tags.GetValueOrDefault("pct")),
            AlignmentOf(tags.GetValueOrDefault("adkim")),
            AlignmentOf(tags.GetValueOrDefault("aspf")));
    }

    /// <summary>
    /// Whether <paramref name="txt"/> starts with the tag "v=DMARC1", which is what makes a TXT record at _dmarc a
    /// DMARC record at all (§6.6.3 step 2), valid or not. The value is case-sensitive: the ABNF spells it in
    /// %x codes (§6.4).
    /// </summary>
    internal static bool HasDmarcVersion(string txt)
    {
        var first = txt.AsSpan();
        var separator = first.IndexOf(';');
        first = separator < 0 ? first : first[..separator];
        var equals = first.IndexOf('=');
        return equals > 0
            && first[..equals].Trim().Equals("v", StringComparison.OrdinalIgnoreCase)
            && first[(equals + 1)..].Trim().SequenceEqual("DMARC1");
    }

    /// <summary>The tags after "v", names in any case; a repeated tag keeps its first value, a part without "=" is skipped.</summary>
    private static Dictionary<string, string> Tags(string txt)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in txt.Split(';').Skip(1))
        {
            var equals = part.IndexOf('=');
            if (equals > 0)
            {
                tags.TryAdd(part[..equals].Trim(), part[(equals + 1)..].Trim());
            }
        }

        return tags;
    }

    // Keywords in the ABNF are quoted strings, which RFC 5234 §2.3 makes case-insensitive.
    private static DmarcPolicy? PolicyOf(string? value) => value?.ToLowerInvariant() switch
    {
        "none" => DmarcPolicy.None,
        "quarantine" => DmarcPolicy.Quarantine,
        "reject" => DmarcPolicy.Reject,
        _ => null,
    };

    private static DmarcAlignment AlignmentOf(string? value) =>
        string.Equals(value, "s", StringComparison.OrdinalIgnoreCase) ? DmarcAlignment.Strict : DmarcAlignment.Relaxed;

    private static int PercentOf(string? value) =>
        int.TryParse(value, NumberStyles.None, null, out var percent) && percent <= 100
            ? percent
            : DefaultPercent;

    /// <summary>
    /// Whether "rua" holds at least one syntactically valid URI (§6.6.3 step 6): a comma-separated list of
    /// absolute URIs, each optionally followed by "!size" (§6.2).
    /// </summary>
    private static bool HasReportAddress(string? rua) =>
        rua is not null && rua.Split(',').Any(item =>
        {
            var uri = item.Trim();
            var size = uri.IndexOf('!');
            return Uri.TryCreate(size < 0 ? uri : uri[..size], UriKind.Absolute, out _);
        });
}
