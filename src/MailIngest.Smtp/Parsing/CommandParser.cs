using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace MailIngest.Smtp.Parsing;

/// <summary>Turns one command line (terminator removed) into a <see cref="SmtpCommand"/>.</summary>
internal static class CommandParser
{
    /// <summary>
    /// Parses a line, decoding the argument into <paramref name="chars"/> (at least as long as the line).
    /// Verbs are case-insensitive (RFC 5321 §2.4).
    /// </summary>
    public static CommandParseStatus TryParse(ReadOnlySpan<byte> line, Span<char> chars, out SmtpCommand command)
    {
        command = default;
        if (line.IsEmpty)
        {
            return CommandParseStatus.Empty;
        }

        // NUL and other controls (CR included, so a bare CR cannot hide a second command) are never valid.
        var nonAscii = false;
        foreach (var b in line)
        {
            if (b < 0x20 || b == 0x7F)
            {
                return CommandParseStatus.InvalidCharacters;
            }

            nonAscii |= b > 0x7F;
        }

        var space = line.IndexOf((byte)' ');
        var verbBytes = space < 0 ? line : line[..space];
        var argumentBytes = space < 0 ? [] : line[(space + 1)..];
        var verb = ParseVerb(verbBytes);

        // RFC 6531 §3.3: only MAIL and RCPT paths may carry UTF-8 (checked against SMTPUTF8 later).
        if (nonAscii && verb is not (SmtpVerb.Mail or SmtpVerb.Rcpt))
        {
            return CommandParseStatus.InvalidCharacters;
        }

        if (Utf8.ToUtf16(argumentBytes, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return CommandParseStatus.InvalidCharacters;
        }

        command = new SmtpCommand(verb, chars[..written]);
        return CommandParseStatus.Ok;
    }

    private static SmtpVerb ParseVerb(ReadOnlySpan<byte> verb) => verb.Length != 4
        ? verb.Length == 8 && Ascii.EqualsIgnoreCase(verb, "STARTTLS"u8) ? SmtpVerb.StartTls : SmtpVerb.Unknown
        : (Upper(verb[0]), Upper(verb[1]), Upper(verb[2]), Upper(verb[3])) switch
        {
            ('E', 'H', 'L', 'O') => SmtpVerb.Ehlo,
            ('H', 'E', 'L', 'O') => SmtpVerb.Helo,
            ('M', 'A', 'I', 'L') => SmtpVerb.Mail,
            ('R', 'C', 'P', 'T') => SmtpVerb.Rcpt,
            ('D', 'A', 'T', 'A') => SmtpVerb.Data,
            ('B', 'D', 'A', 'T') => SmtpVerb.Bdat,
            ('R', 'S', 'E', 'T') => SmtpVerb.Rset,
            ('N', 'O', 'O', 'P') => SmtpVerb.Noop,
            ('Q', 'U', 'I', 'T') => SmtpVerb.Quit,
            ('V', 'R', 'F', 'Y') => SmtpVerb.Vrfy,
            ('H', 'E', 'L', 'P') => SmtpVerb.Help,
            _ => SmtpVerb.Unknown,
        };

    private static char Upper(byte b) => b is >= (byte)'a' and <= (byte)'z' ? (char)(b - 32) : (char)b;
}
