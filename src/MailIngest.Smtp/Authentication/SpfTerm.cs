using System.Globalization;
using System.Net;

namespace MailIngest.Smtp.Authentication;

/// <summary>One directive of an SPF record: a qualifier and a mechanism with its arguments (RFC 7208 §4.6.2, §5).</summary>
/// <param name="Text">The term as written, for the verdict's reason.</param>
/// <param name="Qualifier">The result when the mechanism matches (§4.6.2): "+" pass (the default), "-", "~", "?".</param>
/// <param name="Mechanism">Which mechanism.</param>
/// <param name="Target">The domain-spec, or null for a, mx and ptr without one (the current domain is meant).</param>
/// <param name="Network">The address of ip4 and ip6.</param>
/// <param name="Prefix4">The IPv4 CIDR length of a, mx and ip4.</param>
/// <param name="Prefix6">The IPv6 CIDR length of a, mx and ip6.</param>
internal sealed record SpfTerm(
    string Text,
    AuthResult Qualifier,
    SpfMechanism Mechanism,
    SpfMacro? Target,
    IPAddress? Network,
    int Prefix4,
    int Prefix6)
{
    /// <summary>A directive, or <see cref="SpfException"/> (permerror) for an unknown mechanism or bad syntax (§4.6, §5).</summary>
    public static SpfTerm Parse(string text)
    {
        var qualifier = text[0] switch
        {
            '+' => AuthResult.Pass,
            '-' => AuthResult.Fail,
            '~' => AuthResult.SoftFail,
            '?' => AuthResult.Neutral,
            _ => (AuthResult?)null,
        };
        var body = qualifier is null ? text : text[1..];
        var nameEnd = body.IndexOfAny([':', '/']);
        var name = (nameEnd < 0 ? body : body[..nameEnd]).ToLowerInvariant();
        var argument = nameEnd < 0 ? "" : body[nameEnd..];
        var term = new SpfTerm(text, qualifier ?? AuthResult.Pass, SpfMechanism.All, null, null, 32, 128);
        var parsed = name switch
        {
            "all" when argument.Length == 0 => term,
            "include" => term with { Mechanism = SpfMechanism.Include, Target = RequiredDomain(argument) },
            "exists" => term with { Mechanism = SpfMechanism.Exists, Target = RequiredDomain(argument) },
            "ptr" => term with { Mechanism = SpfMechanism.Ptr, Target = OptionalDomain(argument) },
            "a" => WithDualCidr(term with { Mechanism = SpfMechanism.A }, argument),
            "mx" => WithDualCidr(term with { Mechanism = SpfMechanism.Mx }, argument),
            "ip4" => WithNetwork(term with { Mechanism = SpfMechanism.Ip4 }, argument, ipv6: false),
            "ip6" => WithNetwork(term with { Mechanism = SpfMechanism.Ip6 }, argument, ipv6: true),
            _ => null,
        };
        return parsed ?? throw SpfException.Permanent($"unknown mechanism or bad syntax \"{text}\"");
    }

    /// <summary>True when <paramref name="address"/> and <paramref name="client"/> share this term's prefix of their family.</summary>
    public bool Covers(IPAddress address, IPAddress client)
    {
        if (address.AddressFamily != client.AddressFamily) return false;
        var bits = client.GetAddressBytes().Length == 4 ? Prefix4 : Prefix6;
        var left = address.GetAddressBytes();
        var right = client.GetAddressBytes();
        for (var at = 0; bits > 0; at++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((left[at] & mask) != (right[at] & mask)) return false;
        }

        return true;
    }

    /// <summary>":" domain-spec, which include and exists must have (§5.2, §5.7).</summary>
    private static SpfMacro RequiredDomain(string argument) => argument.StartsWith(':')
        ? SpfMacro.ParseDomainSpec(argument[1..])
        : throw SpfException.Permanent($"missing domain in \"{argument}\"");

    /// <summary>[":" domain-spec] of a, mx and ptr; none means the current domain (§5.3 to §5.5).</summary>
    private static SpfMacro? OptionalDomain(string argument) => argument.Length == 0 ? null : RequiredDomain(argument);

    /// <summary>a and mx: [":" domain-spec] [ "/" ip4-cidr ] [ "//" ip6-cidr ] (§5.3, §5.4), read from the right.</summary>
    private static SpfTerm WithDualCidr(SpfTerm term, string argument)
    {
        var prefix6 = TakeCidr(ref argument, "//", 128) ?? 128;
        var prefix4 = TakeCidr(ref argument, "/", 32) ?? 32;
        return term with { Target = OptionalDomain(argument), Prefix4 = prefix4, Prefix6 = prefix6 };
    }

    /// <summary>ip4 and ip6: ":" network [ "/" cidr ] (§5.6). Only the strict forms of §4.6.1 are accepted.</summary>
    private static SpfTerm? WithNetwork(SpfTerm term, string argument, bool ipv6)
    {
        if (!argument.StartsWith(':')) return null;
        var bits = ipv6 ? 128 : 32;
        var network = argument[1..];
        var prefix = TakeCidr(ref network, "/", bits) ?? bits;
        var valid = ipv6 ? network.Contains(':') : IsDottedQuad(network);
        // The core names no socket type, so the family is told by the address's length (4 or 16 octets).
        if (!valid || !IPAddress.TryParse(network, out var address) || address.GetAddressBytes().Length != bits / 8 || network.Contains('%'))
        {
            return null;
        }

        return ipv6
            ? term with { Network = address, Prefix6 = prefix }
            : term with { Network = address, Prefix4 = prefix };
    }

    /// <summary>
    /// Removes a trailing <paramref name="separator"/> and decimal length from <paramref name="argument"/>; null when
    /// there is none (a "/" inside a macro such as %{l/} is not one). A length with a leading zero or above
    /// <paramref name="max"/> is a syntax error (§5.6's ip4-cidr-length and ip6-cidr-length).
    /// </summary>
    private static int? TakeCidr(ref string argument, string separator, int max)
    {
        var at = argument.LastIndexOf('/');
        var digits = argument[(at + 1)..];
        if (at < 0 || digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return null;
        var start = at + 1 - separator.Length;
        if (start < 0 || argument[start] != '/' || (start > 0 && argument[start - 1] == '/')) return null;
        var length = digits.Length <= 3 && (digits[0] != '0' || digits == "0") ? int.Parse(digits, CultureInfo.InvariantCulture) : -1;
        if (length is < 0 || length > max) throw SpfException.Permanent($"bad CIDR length in \"{argument}\"");

        argument = argument[..start];
        return length;
    }

    private static bool IsDottedQuad(string text)
    {
        var octets = text.Split('.');
        return octets.Length == 4 && octets.All(octet =>
            octet.Length is > 0 and <= 3
            && octet.All(char.IsAsciiDigit)
            && (octet == "0" || octet[0] != '0')
            && int.Parse(octet, CultureInfo.InvariantCulture) <= 255);
    }
}
