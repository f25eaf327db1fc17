using System.Text;

namespace MailIngest.Smtp.Authentication;

/// <summary>The Authentication-Results header field (RFC 8601) this server prepends, and the recognition of one that
/// claims to be ours.</summary>
public static class AuthenticationResultsHeader
{
    /// <summary>The field's name.</summary>
    public const string Name = "Authentication-Results";

    /// <summary>
    /// "Authentication-Results: authserv-id; spf=... smtp.mailfrom=...; dkim=...; dmarc=...; arc=...\r\n", each result on a
    /// line of its own (folded), a non-pass result's reason as a comment. <paramref name="nullSender"/> says that SPF
    /// checked the HELO name (RFC 7208 §2.3), which the field names smtp.helo.
    /// </summary>
    public static string Build(string authservId, MessageAuthentication verdict, bool nullSender)
    {
        var results = new List<string>(3 + Math.Max(1, verdict.Dkim.Count))
        {
            Result("spf", verdict.Spf.Result, Unless(verdict.Spf.Result, verdict.Spf.Reason), $"{(nullSender ? "smtp.helo" : "smtp.mailfrom")}={Value(verdict.Spf.Domain)}"),
        };
        if (verdict.Dkim.Count == 0) results.Add("dkim=none");
        foreach (var dkim in verdict.Dkim)
        {
            results.Add(Result("dkim", dkim.Result, Unless(dkim.Result, dkim.Reason),
                $"header.d={Value(dkim.Domain)} header.s={Value(dkim.Selector)} header.b={Value(dkim.Signature)}"));
        }

        var dmarc = verdict.Dmarc;
        results.Add(Result("dmarc", dmarc.Result, dmarc.Policy is null ? Unless(dmarc.Result, dmarc.Reason) : $"p={dmarc.Policy}",
            dmarc.Domain.Length == 0 ? null : $"header.from={Value(dmarc.Domain)}"));
        results.Add(Result("arc", verdict.Arc, null, null));

        var builder = new StringBuilder(Name).Append(": ").Append(authservId);
        foreach (var result in results) builder.Append(";\r\n\t").Append(result);
        return builder.Append("\r\n").ToString();
    }

    /// <summary>
    /// Whether a received Authentication-Results field's value names <paramref name="authservId"/> (RFC 8601 §5: such a
    /// field did not come from us and must go, or a sender could forge our verdict). The authserv-id is the first
    /// token, before an optional version and the first ";", comments aside.
    /// </summary>
    public static bool Claims(string value, string authservId)
    {
        var text = WithoutComments(value).TrimStart();
        var end = text.IndexOfAny([' ', '\t', '\r', '\n', ';']);
        var id = end < 0 ? text : text[..end];
        return string.Equals(id.Trim('"'), authservId, StringComparison.OrdinalIgnoreCase);
    }

    private static string Result(string method, AuthResult result, string? comment, string? property)
    {
        var text = $"{method}={Word(result)}";
        if (comment is not null) text += $" ({Comment(comment)})";
        return property is null ? text : $"{text} {property}";
    }

    /// <summary>A reason is worth a comment only when the check did not pass.</summary>
    private static string? Unless(AuthResult result, string? reason) => result == AuthResult.Pass ? null : reason;

    /// <summary>RFC 8601's word for a result: "pass", "temperror", ...</summary>
    public static string Word(AuthResult result) => result.ToString().ToLowerInvariant();

    // A property value is a token or a quoted string (RFC 8601 §2.2); domains, selectors and base64 prefixes are tokens
    // unless something odd arrived, which is then quoted.
    private static string Value(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '+' or '@')
            ? value
            : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static string Comment(string text) => new(text.Where(c => c >= ' ' && c < 127 && c is not '(' and not ')' and not '\\').ToArray());

    private static string WithoutComments(string value)
    {
        var builder = new StringBuilder(value.Length);
        var depth = 0;
        foreach (var c in value)
        {
            if (c == '(') depth++;
            else if (c == ')' && depth > 0) depth--;
            else if (depth == 0) builder.Append(c);
        }

        return builder.ToString();
    }
}
