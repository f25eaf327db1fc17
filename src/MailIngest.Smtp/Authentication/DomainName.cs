using System.Globalization;
using System.Text;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// The one form in which domains are compared: lower case, international labels as A-labels ("xn--..."), as DNS
/// carries them. A-labels rather than U-labels because nearly every domain a check sees (MAIL FROM, DKIM d=,
/// a DNS answer) is already ASCII, so the common case costs a scan and no allocation; only an SMTPUTF8 address
/// pays for the IDNA conversion, and the result is a name that can be queried as is.
/// </summary>
internal static class DomainName
{
    private const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// <paramref name="domain"/> in comparison form, or null when it is not a domain name: empty, an empty label
    /// (a leading, trailing or doubled dot), a label over 63 octets or a name over 253 (RFC 1035 §2.3.4), or
    /// Unicode that IDNA rejects.
    /// </summary>
    public static string? Normalize(string? domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return null;
        }

        var name = domain;
        if (!Ascii.IsValid(name))
        {
            try
            {
                name = Idn.GetAscii(name);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        if (name.AsSpan().ContainsAnyInRange('A', 'Z'))
        {
            name = name.ToLowerInvariant();
        }

        return IsWellFormed(name) ? name : null;
    }

    /// <summary>At most 253 characters of labels of 1 to 63 (RFC 1035 §2.3.4); no case or IDNA conversion.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> name)
    {
        if (name.Length > MaxLength)
        {
            return false;
        }

        foreach (var range in name.Split('.'))
        {
            var length = range.End.GetOffset(name.Length) - range.Start.GetOffset(name.Length);
            if (length is 0 or > MaxLabelLength)
            {
                return false;
            }
        }

        return true;
    }
}
