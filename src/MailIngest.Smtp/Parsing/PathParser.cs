namespace MailIngest.Smtp.Parsing;

/// <summary>Parses "FROM:&lt;path&gt; params" and "TO:&lt;path&gt; params" (RFC 5321 §4.1.1.2, §4.1.1.3).</summary>
internal static class PathParser
{
    /// <summary>Parses the argument of MAIL (<paramref name="keyword"/> "FROM:") or RCPT ("TO:").</summary>
    public static PathParseStatus Parse(ReadOnlySpan<char> argument, string keyword, out ParsedPath path)
    {
        path = default;
        if (!argument.StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
        {
            return PathParseStatus.Syntax;
        }

        // Lenient: many clients write "MAIL FROM: <a@b>" although §4.1.2 has no space there.
        var rest = argument[keyword.Length..].TrimStart(' ');
        if (!rest.StartsWith('<'))
        {
            return PathParseStatus.BadPath;
        }

        var close = FindClosingBracket(rest);
        if (close < 0)
        {
            return PathParseStatus.BadPath;
        }

        var tail = rest[(close + 1)..];
        if (tail.Length > 0 && tail[0] != ' ')
        {
            return PathParseStatus.BadPath;
        }

        path = new ParsedPath(StripSourceRoute(rest[1..close]), tail);
        return PathParseStatus.Ok;
    }

    // A quoted local part may contain '>' and '\"', so the closing bracket is the first one outside quotes.
    private static int FindClosingBracket(ReadOnlySpan<char> value)
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
    private static ReadOnlySpan<char> StripSourceRoute(ReadOnlySpan<char> path)
    {
        if (!path.StartsWith('@'))
        {
            return path;
        }

        var colon = path.IndexOf(':');
        return colon < 0 ? path : path[(colon + 1)..];
    }
}
