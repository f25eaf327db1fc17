using System.Text.RegularExpressions;

namespace MailIngest.Testing;

/// <summary>What a well-formed SMTP reply line looks like on the wire (RFC 5321 §4.2, RFC 2034, RFC 3463).</summary>
public static partial class SmtpReplyCheck
{
    /// <summary>Longest reply line, CRLF included (RFC 5321 §4.5.3.1.5).</summary>
    public const int MaxLineLength = 512;

    /// <summary>Null when <paramref name="line"/> (without its CRLF) is a well-formed reply line, else why not.</summary>
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

    [GeneratedRegex(@"^[2-5][0-5]\d(?:[ -]|$)(?:(?<enhanced>[245]\.\d{1,3}\.\d{1,3})(?: |$))?")]
    private static partial Regex ReplyLine();
}
