using System.Globalization;
using System.Text;

namespace MailIngest.Smtp.Replies;

/// <summary>A reply: basic code, optional enhanced status code (RFC 3463) and one or more text lines.</summary>
public sealed record SmtpReply(int Code, string? EnhancedCode, IReadOnlyList<string> Lines)
{
    // RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets, code, separator and CRLF included.
    private const int MaxTextOctets = 512 - 4 - 2;

    /// <summary>A single-line reply.</summary>
    public SmtpReply(int code, string? enhancedCode, string text)
        : this(code, enhancedCode, [text])
    {
    }

    /// <summary>True for 4xx and 5xx replies.</summary>
    public bool IsError => Code >= 400;

    /// <summary>The reply on the wire: "250-first\r\n250 last\r\n", enhanced code before each line's text.</summary>
    public byte[] ToWire()
    {
        // RFC 5321 §4.2.1: every line but the last has "-" after the code; RFC 2034 §4: the enhanced code
        // starts the text of every line.
        IReadOnlyList<string> lines = Lines.Count == 0 ? [string.Empty] : Lines;
        var builder = new StringBuilder();
        var code = Code.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < lines.Count; i++)
        {
            var text = EnhancedCode is null ? lines[i] : $"{EnhancedCode} {lines[i]}";
            builder.Append(code).Append(i == lines.Count - 1 ? ' ' : '-');
            // Text echoed from the client (the EHLO name) or from configuration is cut to fit, never sent longer.
            var printed = text.AsSpan().TrimEnd();
            AppendPrintable(builder, printed[..Math.Min(printed.Length, MaxTextOctets)]);
            builder.Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.ASCII.GetString(ToWire());

    // Replies are ASCII (RFC 5321 §2.4) and the CRLF framing is ours alone: a control or non-ASCII
    // character in a text (say, from a status source) becomes '?' so it cannot inject a line.
    private static void AppendPrintable(StringBuilder builder, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }
    }
}
