using System.Text.RegularExpressions;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Milter;

/// <summary>
/// The text of SMFIR_REPLYCODE ("550 5.7.1 Spam detected", or several lines joined by CRLF with "550-" on every
/// line but the last, as smfi_setmlreply makes): the reply the client gets when a milter refuses.
/// </summary>
public static partial class MilterReplyText
{
    /// <summary>
    /// The reply, or null when the text is not a 4xx or 5xx reply (libmilter's smfi_setreply allows nothing else), when
    /// its lines disagree on the code, or when an enhanced code's class is not the basic code's first digit.
    /// </summary>
    public static SmtpReply? Parse(string text)
    {
        var lines = text.Split("\r\n").Select(line => line.TrimEnd('\r', '\n')).Where(line => line.Length > 0).ToArray();
        if (lines.Length == 0) return null;
        int? code = null;
        string? enhanced = null;
        var texts = new List<string>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Line().Match(lines[i]);
            if (!match.Success) return null;
            var lineCode = int.Parse(match.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var last = i == lines.Length - 1;
            if ((match.Groups["sep"].Value == "-") == last) return null;
            if (code is { } first && first != lineCode) return null;
            code = lineCode;
            if (match.Groups["enhanced"].Success)
            {
                enhanced ??= match.Groups["enhanced"].Value;
                if (enhanced[0] != match.Groups["code"].Value[0]) return null;
            }

            texts.Add(match.Groups["text"].Value);
        }

        return new SmtpReply(code!.Value, enhanced, texts);
    }

    [GeneratedRegex(@"^(?<code>[45][0-9][0-9])(?<sep>[ -]?)(?:(?<enhanced>[45]\.[0-9]{1,3}\.[0-9]{1,3})(?: |$))?(?<text>.*)$")]
    private static partial Regex Line();
}
