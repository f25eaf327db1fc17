using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailIngest.Smtp.Parsing;

/// <summary>
/// RFC 5321 §4.1.2 Mailbox syntax: dot-atom or quoted-string local part, domain or address literal,
/// with the RFC 6531 §3.3 UTF-8 extension (non-ASCII allowed in atoms, quoted strings and labels).
/// Lengths follow §4.5.3.1: local part 64 octets, and 254 for the whole path without brackets.
/// </summary>
internal static class MailboxSyntax
{
    private const int MaxLocalPartOctets = 64;
    private const int MaxAddressOctets = 254;
    private const int MaxDomainOctets = 255;
    private const int MaxLabelOctets = 63;

    private static readonly SearchValues<char> Ipv6Characters = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>True when <paramref name="address"/> is local@domain; non-ASCII is judged separately.</summary>
    public static bool IsValid(ReadOnlySpan<char> address)
    {
        if (Encoding.UTF8.GetByteCount(address) > MaxAddressOctets)
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }

        var local = address[..at];
        var domain = address[(at + 1)..];
        return Encoding.UTF8.GetByteCount(local) <= MaxLocalPartOctets
            && (IsDotAtom(local) || IsQuotedString(local))
            && IsDomainOrLiteral(domain);
    }

    /// <summary>True when any character is outside ASCII (RFC 6531 needs SMTPUTF8 then).</summary>
    public static bool HasNonAscii(ReadOnlySpan<char> value) => !Ascii.IsValid(value);

    /// <summary>The domain part (after the last '@').</summary>
    public static ReadOnlySpan<char> DomainOf(ReadOnlySpan<char> address) => address[(address.LastIndexOf('@') + 1)..];

    /// <summary>RFC 5322 §3.4.1 dot-atom of atext.</summary>
    private static bool IsDotAtom(ReadOnlySpan<char> value)
    {
        foreach (var range in value.Split('.'))
        {
            var atom = value[range];
            if (atom.IsEmpty)
            {
                return false;
            }

            foreach (var c in atom)
            {
                if (!IsAtext(c))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsAtext(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~".Contains(c) || c > 0x7F;

    /// <summary>RFC 5321 §4.1.2 Quoted-string: qtextSMTP or quoted-pair between DQUOTEs.</summary>
    private static bool IsQuotedString(ReadOnlySpan<char> value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return false;
        }

        for (var i = 1; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                // quoted-pair = "\" %d32-126; the pair may not consume the closing quote.
                if (++i >= value.Length - 1 || value[i] is < ' ' or > '~')
                {
                    return false;
                }
            }
            else if (c == '"' || (c < ' ' || c == 0x7F))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDomainOrLiteral(ReadOnlySpan<char> domain) =>
        domain.StartsWith('[') ? IsAddressLiteral(domain) : IsDomain(domain);

    /// <summary>RFC 5321 §4.1.3: [IPv4] or [IPv6:...].</summary>
    private static bool IsAddressLiteral(ReadOnlySpan<char> literal)
    {
        if (literal.Length < 3 || literal[^1] != ']')
        {
            return false;
        }

        var inner = literal[1..^1];
        if (inner.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            // IPAddress.TryParse also takes "%scope", brackets and ports, none of which are in the RFC 5321
            // IPv6-addr grammar: only hex digits, ':' and the '.' of an embedded IPv4 part.
            var text = inner[5..];
            return !text.ContainsAnyExcept(Ipv6Characters)
                && IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = 0;
        foreach (var range in inner.Split('.'))
        {
            if (++parts > 4 || !IsSnum(inner[range]))
            {
                return false;
            }
        }

        return parts == 4;
    }

    // Snum = 1*3DIGIT representing a decimal integer value in the range 0 through 255.
    private static bool IsSnum(ReadOnlySpan<char> part) =>
        part.Length is > 0 and <= 3 && !part.ContainsAnyExceptInRange('0', '9')
        && int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) <= 255;

    /// <summary>RFC 5321 §4.1.2 Domain: sub-domains of Let-dig [Ldh-str], U-labels allowed (RFC 6531).</summary>
    private static bool IsDomain(ReadOnlySpan<char> domain)
    {
        if (Encoding.UTF8.GetByteCount(domain) > MaxDomainOctets)
        {
            return false;
        }

        foreach (var range in domain.Split('.'))
        {
            var label = domain[range];
            if (label.IsEmpty || Encoding.UTF8.GetByteCount(label) > MaxLabelOctets
                || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c > 0x7F))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
