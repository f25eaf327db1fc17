namespace MailIngest.Smtp.Parsing;

/// <summary>Parses "FROM:&lt;path&gt; params" and "TO:&lt;path&gt; params" (RFC 5321 §4.1.1.2, §4.1.1.3).</summary>
internal static class PathParser
{
    /// <summary>Parses the argument of MAIL (<paramref name="keyword"/> "FROM") or RCPT ("TO").</summary>
    public static PathParseStatus Parse(string argument, string keyword, out ParsedPath path)
    {
        path = new ParsedPath(string.Empty, []);
        var prefix = keyword + ":";
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return PathParseStatus.Syntax;
        }

        // Lenient: many clients write "MAIL FROM: <a@b>" although §4.1.2 has no space there.
        var rest = argument[prefix.Length..].TrimStart(' ');
        if (!rest.StartsWith('<'))
        {
            return PathParseStatus.BadPath;
        }

        var close = FindClosingBracket(rest);
        if (close < 0)
        {
            return PathParseStatus.BadPath;
        }

        var address = StripSourceRoute(rest[1..close]);
        var tail = rest[(close + 1)..];
        if (tail.Length > 0 && tail[0] != ' ')
        {
            return PathParseStatus.BadPath;
        }

        var parameters = new List<EsmtpParameter>();
        foreach (var token in tail.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryParseParameter(token, out var parameter))
            {
                return PathParseStatus.BadParameter;
            }

            parameters.Add(parameter);
        }

        path = new ParsedPath(address, parameters);
        return PathParseStatus.Ok;
    }

    // A quoted local part may contain '>' and '\"', so the closing bracket is the first one outside quotes.
    private static int FindClosingBracket(string value)
    {
        var quoted = false;
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (quoted && c == '\\')
            {
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '>' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    // RFC 5321 §4.1.1.3 and appendix C: servers must accept and ignore an "@a,@b:" source route.
    private static string StripSourceRoute(string path)
    {
        if (!path.StartsWith('@'))
        {
            return path;
        }

        var colon = path.IndexOf(':');
        return colon < 0 ? path : path[(colon + 1)..];
    }

    // esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); esmtp-value = 1*(%d33-60 / %d62-126),
    // widened by RFC 6531 §3.3 to UTF-8.
    private static bool TryParseParameter(string token, out EsmtpParameter parameter)
    {
        parameter = default;
        var equals = token.IndexOf('=');
        var keyword = equals < 0 ? token : token[..equals];
        var value = equals < 0 ? null : token[(equals + 1)..];
        if (keyword.Length == 0 || !char.IsAsciiLetterOrDigit(keyword[0])
            || !keyword.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return false;
        }

        if (value is not null && (value.Length == 0 || value.Any(c => c is '=' || c < '!' || c == 0x7F)))
        {
            return false;
        }

        parameter = new EsmtpParameter(keyword.ToUpperInvariant(), value);
        return true;
    }
}
