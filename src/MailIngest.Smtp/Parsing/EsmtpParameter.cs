namespace MailIngest.Smtp.Parsing;

/// <summary>An esmtp-param of RFC 5321 §4.1.2: keyword and optional value, as slices of the command line.</summary>
internal readonly ref struct EsmtpParameter(ReadOnlySpan<char> keyword, ReadOnlySpan<char> value)
{
    public ReadOnlySpan<char> Keyword { get; } = keyword;

    /// <summary>Empty when the parameter has no value ("=" with nothing after it is malformed).</summary>
    public ReadOnlySpan<char> Value { get; } = value;

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); esmtp-value = 1*(%d33-60 / %d62-126),
    // widened by RFC 6531 §3.3 to UTF-8.
    public static bool TryParse(ReadOnlySpan<char> token, out EsmtpParameter parameter)
    {
        parameter = default;
        var equals = token.IndexOf('=');
        var keyword = equals < 0 ? token : token[..equals];
        if (keyword.IsEmpty || !char.IsAsciiLetterOrDigit(keyword[0]))
        {
            return false;
        }

        foreach (var c in keyword)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        var value = equals < 0 ? [] : token[(equals + 1)..];
        if (equals >= 0 && value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is '=' || c < '!' || c == 0x7F)
            {
                return false;
            }
        }

        parameter = new EsmtpParameter(keyword, value);
        return true;
    }
}
