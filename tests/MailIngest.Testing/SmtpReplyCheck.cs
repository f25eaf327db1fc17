using System.Text.RegularExpressions;

namespace MailIngest.Testing;

/// <summary>What a well-formed SMTP reply line looks like on the wire (RFC 5321 §4.2, RFC 2034, RFC 3463).</summary>
public static partial class SmtpReplyCheck
{
    /// <summary>Longest reply line, CRLF included (RFC 5321 §4.5.3.1.5).</summary>
    public const int MaxLineLength = 512;

    /// <summary>
    /// Null when <paramref name="line"/> (without its CRLF, decoded as Latin-1 so that every octet stays one
    /// character) is a well-formed reply line, else why not.
    /// </summary>
    public static string? Problem(string line)
    {
        if (line.Length + 2 > MaxLineLength) return $"reply line of {line.Length + 2} octets: {line[..40]}...";
        var match = ReplyLine().Match(line);
        if (!match.Success) return $"malformed reply line '{line}'";
        if (line.Any(c => c is < ' ' or > '~')) return $"control or non-ASCII character in '{line}'";
        var enhanced = match.Groups["enhanced"];
        if (enhanced.Success && enhanced.Value[0] != line[0]) return $"enhanced code class differs from the reply code in '{line}'";
        return null;
    }

    /// <summary>
    /// Null when <paramref name="line"/> may follow <paramref name="previous"/> (null at the start of a reply):
    /// RFC 5321 §4.2.1, every line of a multiline reply has the same code.
    /// </summary>
    public static string? ContinuationProblem(string? previous, string line)
    {
        if (previous is null || previous.Length < 4 || previous[3] != '-') return null;
        return line.StartsWith(previous[..3], StringComparison.Ordinal) ? null : $"'{line}' continues '{previous}' with another code";
    }

    [GeneratedRegex(@"^[2-5][0-5]\d(?:[ -]|$)(?:(?<enhanced>[245]\.\d{1,3}\.\d{1,3})(?: |$))?")]
    private static partial Regex ReplyLine();
}
