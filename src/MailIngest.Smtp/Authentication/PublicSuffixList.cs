namespace MailIngest.Smtp.Authentication;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/list/), read to find a domain's Organizational Domain for
/// DMARC (RFC 7489 §3.2). Rules from both the ICANN and the PRIVATE section count, as RFC 7489 §3.2 does not
/// tell them apart. Rules and queried names are compared as <see cref="DomainName"/> forms them (lower case,
/// A-labels), so "食狮.公司.cn" and "xn--85x722f.xn--55qx5d.cn" find the same rule and give the same answer.
/// </summary>
public sealed class PublicSuffixList
{
    private const string ResourceName = "MailIngest.Smtp.Authentication.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> Shipped = new(LoadShipped);

    // One set per kind of rule, looked up by span so that walking a name's suffixes allocates nothing.
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _rules;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _wildcardParents;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcardParents, HashSet<string> exceptions)
    {
        _rules = rules.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardParents = wildcardParents.GetAlternateLookup<ReadOnlySpan<char>>();
        _exceptions = exceptions.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The list shipped inside this assembly, parsed on first use.</summary>
    public static PublicSuffixList Default => Shipped.Value;

    /// <summary>Reads a list in the public_suffix_list.dat format. Rules that are not domain names are skipped.</summary>
    public static PublicSuffixList Parse(TextReader reader)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcardParents = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            // The format: one rule per line, up to the first whitespace; "//" starts a comment line.
            var rule = line.AsSpan().Trim();
            var end = rule.IndexOfAny(' ', '\t');
            rule = end < 0 ? rule : rule[..end];
            if (rule.IsEmpty || rule.StartsWith("//"))
            {
                continue;
            }

            var (set, marker) = rule switch
            {
                ['!', ..] => (exceptions, 1),
                ['*', '.', ..] => (wildcardParents, 2),
                _ => (rules, 0),
            };
            if (DomainName.Normalize(rule[marker..].ToString()) is { } normalized)
            {
                set.Add(normalized);
            }
        }

        return new PublicSuffixList(rules, wildcardParents, exceptions);
    }

    /// <summary>Reads the list in the file at <paramref name="path"/>.</summary>
    public static PublicSuffixList Load(string path)
    {
        using var reader = File.OpenText(path);
        return Parse(reader);
    }

    /// <summary>
    /// The Organizational Domain of <paramref name="domain"/> (RFC 7489 §3.2): its public suffix and one label more,
    /// lower case, international labels as A-labels. Null when the domain is itself a public suffix or not a
    /// domain name.
    /// </summary>
    public string? OrganizationalDomain(string domain)
    {
        if (DomainName.Normalize(domain) is not { } name)
        {
            return null;
        }

        var suffixLabels = PublicSuffixLabels(name);
        var start = SuffixStart(name, suffixLabels + 1);
        return start switch
        {
            < 0 => null,
            0 => name,
            _ => name[start..],
        };
    }

    /// <summary>
    /// How many of the rightmost labels of <paramref name="name"/> are its public suffix, by the list's algorithm:
    /// an exception rule wins and its leftmost label is dropped; otherwise the longest matching rule; otherwise
    /// the implicit rule "*", one label.
    /// </summary>
    private int PublicSuffixLabels(string name)
    {
        var span = name.AsSpan();
        var suffixLabels = 1;
        var labels = 0;
        var start = name.Length + 1;
        while (start > 0)
        {
            var parentStart = start;
            start = span[..(start - 1)].LastIndexOf('.') + 1;
            labels++;
            var suffix = span[start..];
            if (_exceptions.Contains(suffix))
            {
                return labels - 1;
            }

            if (_rules.Contains(suffix) || (labels > 1 && _wildcardParents.Contains(span[parentStart..])))
            {
                suffixLabels = labels;
            }
        }

        return suffixLabels;
    }

    /// <summary>Where the rightmost <paramref name="labels"/> labels of <paramref name="name"/> start; -1 when it has fewer.</summary>
    private static int SuffixStart(string name, int labels)
    {
        var start = name.Length + 1;
        for (var i = 0; i < labels; i++)
        {
            if (start == 0)
            {
                return -1;
            }

            start = name.AsSpan(0, start - 1).LastIndexOf('.') + 1;
        }

        return start;
    }

    private static PublicSuffixList LoadShipped()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no resource {ResourceName}.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
