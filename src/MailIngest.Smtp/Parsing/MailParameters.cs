using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Parsing;

/// <summary>The MAIL parameters this server supports: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531).</summary>
internal sealed record MailParameters(long? Size, BodyType Body, bool SmtpUtf8)
{
    // A SIZE with more digits than this is over any limit; stop before long overflows.
    private const int MaxSizeDigits = 18;

    /// <summary>False for an unknown, repeated or malformed parameter (501 5.5.4).</summary>
    public static bool TryParse(IReadOnlyList<EsmtpParameter> parameters, out MailParameters result)
    {
        result = new MailParameters(null, BodyType.SevenBit, false);
        var seen = new HashSet<string>();
        foreach (var (keyword, value) in parameters)
        {
            if (!seen.Add(keyword))
            {
                return false;
            }

            switch (keyword)
            {
                case "SIZE" when value is { Length: > 0 } && value.All(char.IsAsciiDigit):
                    result = result with { Size = value.Length > MaxSizeDigits ? long.MaxValue : long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };
                    break;
                case "BODY" when string.Equals(value, "7BIT", StringComparison.OrdinalIgnoreCase):
                    result = result with { Body = BodyType.SevenBit };
                    break;
                case "BODY" when string.Equals(value, "8BITMIME", StringComparison.OrdinalIgnoreCase):
                    result = result with { Body = BodyType.EightBitMime };
                    break;
                case "SMTPUTF8" when value is null:
                    result = result with { SmtpUtf8 = true };
                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
