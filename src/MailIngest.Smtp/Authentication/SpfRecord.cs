namespace MailIngest.Smtp.Authentication;

/// <summary>A parsed SPF record (RFC 7208 §4.5, §4.6): its mechanisms in order and its redirect modifier.</summary>
internal sealed record SpfRecord(IReadOnlyList<SpfTerm> Mechanisms, SpfMacro? Redirect)
{
    private const string Version = "v=spf1";

    /// <summary>§4.5: a TXT record is an SPF record when it starts with "v=spf1" followed by a space or its end.</summary>
    public static bool IsSpf(string text) =>
        text.StartsWith(Version, StringComparison.OrdinalIgnoreCase) && (text.Length == Version.Length || text[Version.Length] == ' ');

    /// <summary>
    /// The record, or <see cref="SpfException"/> (permerror): §4.6 has any syntax error anywhere end the check
    /// before any term is evaluated.
    /// </summary>
    public static SpfRecord Parse(string text)
    {
        var mechanisms = new List<SpfTerm>();
        SpfMacro? redirect = null;
        var explained = false;
        foreach (var term in text[Version.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = ModifierNameLength(term);
            if (equals < 0)
            {
                mechanisms.Add(SpfTerm.Parse(term));
                continue;
            }

            var value = term[(equals + 1)..];
            switch (term[..equals].ToLowerInvariant())
            {
                // §6: redirect and exp each appear at most once. exp only names the explanation's TXT record, which
                // changes no verdict, so it is parsed for its syntax and not kept.
                case "redirect" when redirect is null:
                    redirect = SpfMacro.ParseDomainSpec(value);
                    break;
                case "exp" when !explained:
                    SpfMacro.ParseDomainSpec(value);
                    explained = true;
                    break;
                case "redirect" or "exp":
                    throw SpfException.Permanent($"more than one {term[..equals]} modifier");
                default:
                    // §6: an unknown modifier is ignored, but must still be a name "=" macro-string.
                    SpfMacro.ParseMacroString(value);
                    break;
            }
        }

        return new SpfRecord(mechanisms, redirect);
    }

    /// <summary>The length of a modifier's name (name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ), §4.6.1), or -1 for a directive.</summary>
    private static int ModifierNameLength(string term)
    {
        if (!char.IsAsciiLetter(term[0])) return -1;
        var at = 1;
        while (at < term.Length && (char.IsAsciiLetterOrDigit(term[at]) || term[at] is '-' or '_' or '.')) at++;
        return at < term.Length && term[at] == '=' ? at : -1;
    }
}
