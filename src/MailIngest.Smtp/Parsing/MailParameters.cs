using System.Globalization;

namespace MailIngest.Smtp.Parsing;

/// <summary>
/// The MAIL parameters this server supports: SIZE (RFC 1870), BODY (RFC 6152), SMTPUTF8 (RFC 6531). BODY is
/// checked but not kept: content is stored as octets whatever the client declared.
/// </summary>
internal readonly record struct MailParameters(long? Size, bool SmtpUtf8)
{
    // A SIZE with more digits than this is over any limit; stop before long overflows.
    private const int MaxSizeDigits = 18;

    /// <summary>
    /// Parses the space-separated parameters after the path. False for an unknown, repeated or malformed
    /// parameter (501 5.5.4).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> parameters, out MailParameters result)
    {
        result = new MailParameters(null, false);
        bool size = false, body = false, smtpUtf8 = false;
        foreach (var range in parameters.Split(' '))
        {
            var token = parameters[range];
            if (token.IsEmpty)
            {
                continue;
            }

            if (!EsmtpParameter.TryParse(token, out var parameter))
            {
                return false;
            }

            var keyword = parameter.Keyword;
            var value = parameter.Value;
            if (Is(keyword, "SIZE") && !size && value.Length > 0 && !value.ContainsAnyExceptInRange('0', '9'))
            {
                size = true;
                result = result with
                {
                    Size = value.Length > MaxSizeDigits ? long.MaxValue : long.Parse(value, CultureInfo.InvariantCulture),
                };
            }
            else if (Is(keyword, "BODY") && !body && (Is(value, "7BIT") || Is(value, "8BITMIME")))
            {
                body = true;
            }
            else if (Is(keyword, "SMTPUTF8") && !smtpUtf8 && value.IsEmpty)
            {
                smtpUtf8 = true;
                result = result with { SmtpUtf8 = true };
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static bool Is(ReadOnlySpan<char> text, string expected) =>
        text.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
