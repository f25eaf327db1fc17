namespace MailIngest.Actors.Feed;

/// <summary>The SMTP envelope of one copy.</summary>
/// <param name="MailFrom">The reverse path (MAIL FROM), empty for a bounce (null sender).</param>
/// <param name="RcptTo">The normalized recipient of this copy.</param>
public sealed record FeedEnvelope(string MailFrom, string RcptTo)
{
    private const string ReturnPath = "Return-Path:";

    /// <summary>
    /// The reverse path from the trace fields the server stored with the copy (they start with
    /// "Return-Path: &lt;path&gt;" on one line: a single token is never folded); empty when they hold none.
    /// </summary>
    public static string ReversePathOf(string traceHeaders)
    {
        if (!traceHeaders.StartsWith(ReturnPath, StringComparison.OrdinalIgnoreCase)) return "";
        var open = traceHeaders.IndexOf('<', ReturnPath.Length);
        var close = open < 0 ? -1 : traceHeaders.IndexOf(">\r\n", open, StringComparison.Ordinal);
        return close < 0 ? "" : traceHeaders[(open + 1)..close];
    }
}
