using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// A parsed macro-string or domain-spec (RFC 7208 §7.1). It is parsed with its record, so a macro error is a
/// syntax error of the whole record (§4.6), and expanded against a <see cref="SpfMacroContext"/> when a term is
/// evaluated.
/// </summary>
internal sealed class SpfMacro
{
    /// <summary>§7.3: an expanded name longer than this loses labels from its left.</summary>
    private const int MaxDomainLength = 253;

    private const string Delimiters = ".-+,/_=";

    private readonly IReadOnlyList<Part> parts;

    private SpfMacro(IReadOnlyList<Part> parts) => this.parts = parts;

    /// <summary>True when expanding needs %{p}, which costs PTR and address queries (§7.3).</summary>
    public bool UsesValidatedName => parts.Any(part => part is Expansion { Letter: 'p' });

    /// <summary>
    /// A domain-spec (§7.1): a macro-string ending in a macro or in "." toplabel ["."]. The letters c, r and t
    /// are allowed only in explanation text (§7.2), so they are a syntax error here.
    /// </summary>
    public static SpfMacro ParseDomainSpec(string text)
    {
        var macro = Parse(text, explanationLetters: false);
        if (macro.parts.Count == 0 || (macro.parts[^1] is Literal literal && !EndsInTopLabel(literal.Text)))
        {
            throw SpfException.Permanent($"invalid domain-spec \"{text}\"");
        }

        return macro;
    }

    /// <summary>The value of an unknown modifier (§6): any macro-string, checked only for its syntax.</summary>
    public static SpfMacro ParseMacroString(string text) => Parse(text, explanationLetters: true);

    /// <summary>The expansion (§7.3), shortened from the left to 253 characters as a DNS query name must be.</summary>
    public string ExpandDomain(SpfMacroContext context)
    {
        var name = Expand(context);
        while (name.Length > MaxDomainLength)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0) break;
            name = name[(dot + 1)..];
        }

        return name;
    }

    public string Expand(SpfMacroContext context)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Expand(context));
        }

        return text.ToString();
    }

    private static SpfMacro Parse(string text, bool explanationLetters)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var at = 0; at < text.Length; at++)
        {
            var c = text[at];
            if (c != '%')
            {
                // macro-literal is %x21-24 / %x26-7E: visible ASCII (§7.1).
                if (c is < '!' or > '~') throw SpfException.Permanent($"invalid character in \"{text}\"");
                literal.Append(c);
                continue;
            }

            if (++at == text.Length) throw SpfException.Permanent($"lone % in \"{text}\"");
            switch (text[at])
            {
                case '%': literal.Append('%'); break;
                case '_': literal.Append(' '); break;
                case '-': literal.Append("%20"); break;
                case '{':
                    var end = text.IndexOf('}', at);
                    if (end < 0) throw SpfException.Permanent($"unclosed macro in \"{text}\"");
                    if (literal.Length > 0) parts.Add(new Literal(literal.ToString()));
                    literal.Clear();
                    parts.Add(Expansion.Parse(text[(at + 1)..end], explanationLetters));
                    at = end;
                    break;
                default: throw SpfException.Permanent($"invalid macro %{text[at]} in \"{text}\"");
            }
        }

        if (literal.Length > 0) parts.Add(new Literal(literal.ToString()));
        return new SpfMacro(parts);
    }

    /// <summary>domain-end = "." toplabel ["."]; toplabel is alphanumeric with a letter, or has an inner hyphen (§7.1).</summary>
    private static bool EndsInTopLabel(string literal)
    {
        var name = literal.EndsWith('.') ? literal[..^1] : literal;
        var dot = name.LastIndexOf('.');
        if (dot < 0) return false;
        var label = name[(dot + 1)..];
        return label.Length > 0
            && char.IsAsciiLetterOrDigit(label[0])
            && char.IsAsciiLetterOrDigit(label[^1])
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label.Any(c => char.IsAsciiLetter(c) || c == '-');
    }

    private abstract record Part
    {
        public abstract string Expand(SpfMacroContext context);
    }

    /// <summary>Literal text, with %%, %_ and %- already replaced.</summary>
    private sealed record Literal(string Text) : Part
    {
        public override string Expand(SpfMacroContext context) => Text;
    }

    /// <summary>One %{...}: letter, how many right-hand parts to keep, reversal, split characters, URL escaping.</summary>
    private sealed record Expansion(char Letter, int Keep, bool Reverse, string SplitOn, bool Escape) : Part
    {
        public static Expansion Parse(string body, bool explanationLetters)
        {
            SpfException Invalid() => SpfException.Permanent($"invalid macro %{{{body}}}");
            if (body.Length == 0) throw Invalid();
            var letter = char.ToLowerInvariant(body[0]);
            if (!"slodiphv".Contains(letter) && !(explanationLetters && "crt".Contains(letter)))
            {
                throw SpfException.Permanent($"macro %{{{body}}} is not allowed here");
            }

            var at = 1;
            while (at < body.Length && char.IsAsciiDigit(body[at])) at++;
            var digits = body[1..at];
            var keep = int.MaxValue;
            if (digits.Length > 0)
            {
                // §7.3: the digit transformer is at least one; one too big for an int keeps every part, as any big one does.
                if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out keep)) keep = int.MaxValue;
                if (keep == 0) throw Invalid();
            }

            var reverse = at < body.Length && char.ToLowerInvariant(body[at]) == 'r';
            if (reverse) at++;
            var splitOn = body[at..];
            if (splitOn.Any(c => !Delimiters.Contains(c))) throw Invalid();
            return new Expansion(letter, keep, reverse, splitOn.Length == 0 ? "." : splitOn, char.IsAsciiLetterUpper(body[0]));
        }

        /// <summary>§7.3: split, reverse, keep the rightmost parts, join with dots, then URL-escape for capitals.</summary>
        public override string Expand(SpfMacroContext context)
        {
            IEnumerable<string> pieces = Value(context).Split(SplitOn.ToCharArray());
            if (Reverse) pieces = pieces.Reverse();
            var list = pieces.ToList();
            var joined = string.Join('.', list.Skip(Math.Max(0, list.Count - Keep)));
            return Escape ? Uri.EscapeDataString(joined) : joined;
        }

        private string Value(SpfMacroContext context) => Letter switch
        {
            's' => $"{context.LocalPart}@{context.SenderDomain}",
            'l' => context.LocalPart,
            'o' => context.SenderDomain,
            'd' => context.Domain,
            'i' => DottedAddress(context),
            'p' => context.ValidatedName,
            'h' => context.Helo,
            'v' => context.Client.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6" : "in-addr",
            // c, r and t parse only in unknown modifiers (§6), whose values are never expanded.
            _ => throw SpfException.Permanent($"macro %{{{Letter}}} is only allowed in explanation text"),
        };

        /// <summary>§7.3: IPv4 in dotted quad, IPv6 as 32 dot-separated nibbles (as in ip6.arpa).</summary>
        private static string DottedAddress(SpfMacroContext context)
        {
            if (context.Client.AddressFamily != AddressFamily.InterNetworkV6) return context.Client.ToString();
            var hex = Convert.ToHexStringLower(context.Client.GetAddressBytes());
            return string.Join('.', hex.ToCharArray());
        }
    }
}
