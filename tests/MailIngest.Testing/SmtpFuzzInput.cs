using System.Text;

namespace MailIngest.Testing;

/// <summary>
/// Random and mutated SMTP client input: mostly plausible commands and content (so the fuzzer gets deep into
/// transactions), with every dot/CR/LF combination in DATA, BDAT with right and wrong sizes, STARTTLS, odd
/// arguments, NUL, UTF-8, long lines, then a few random byte mutations.
/// </summary>
public static class SmtpFuzzInput
{
    private static readonly string[] Verbs =
        ["EHLO", "HELO", "MAIL", "RCPT", "DATA", "BDAT", "RSET", "NOOP", "QUIT", "VRFY", "HELP", "STARTTLS", "ehlo", "MaIl", "AUTH", "XYZZY", ""];

    private static readonly string[] Paths =
    [
        "FROM:<a@example.org>", "TO:<b@example.com>", "FROM:<>", "TO:<postmaster>", "FROM:<\"quoted local\"@example.org>",
        "TO:<\"a\\\"b\"@example.com>", "FROM:<用户@例子.广告> SMTPUTF8", "TO:<用户@例子.广告>", "FROM:<a@example.org> SIZE=10",
        "FROM:<a@example.org> SIZE=99999999999999999999", "FROM:<a@example.org> BODY=8BITMIME", "FROM:<a@example.org> BODY=BINARYMIME",
        "FROM: <a@example.org>", "TO:<@route:b@example.com>", "FROM:<a@[127.0.0.1]>", "TO:<b@[IPv6:::1]>", "FROM:a@example.org",
        "TO:<>", "FROM:<a@example.org", "TO:<" + new string('x', 300) + "@example.com>", "FROM:<a@-bad-.example>",
        "FROM:<a@example.org> SIZE=", "FROM:<a@example.org> SIZE=0", "FROM:<a@example.org> size=12 body=7bit",
        "FROM:<a@example.org> SIZE=1 SIZE=2", "FROM:<a@example.org> BODY=", "FROM:<a@example.org> SMTPUTF8=yes",
        "FROM:<a@example.org> X-UNKNOWN=1", "FROM:<a@example.org>  BODY=8BITMIME  SMTPUTF8 ", "TO:<b@xn--bcher-kva.example>",
        "TO:<\"\"@example.com>", "TO:<\"a\0b\"@example.com>", "FROM:<a\0b@example.org>", "TO:<b@例え.テスト> SMTPUTF8",
        "FROM:<\"spaces and @ at\"@example.org> BODY=8BITMIME SMTPUTF8", "TO:<b@example.com> NOTIFY=NEVER", "TO:<b@example.com",
        "TO:b@example.com", "FROM:<" + new string('a', 64) + "@" + new string('b', 250) + ".example>", "TO:<b@example.com>\0",
    ];

    private static readonly string[] LineEnds = ["\r\n", "\r\n", "\r\n", "\n", "\r", "\r\r\n", "\n\r"];

    private static readonly string[] ContentPieces =
    [
        "Subject: fuzz\r\n", "\r\n", "line\r\n", ".\r\n", "..dot\r\n", "\r\n.\r\n", "\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", ".\n",
        "\0", "é8bit\r\n", "\r", "\n", "From: <x@y>\r\n\r\n", "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n",
        new string('y', 1100) + "\r\n", "\r\n..\r\n", ".\r", "\r\n.", ".", "\r\n\r\n.\r\n\r\n", "..\r\n", "\r\n.\r",
        ".\r\r\n", "\r\n.\r\r\n", "\r\n.\0\r\n", "..\n", "\n\r\n.\r\n",
    ];

    // Spliced into the bytes at random: a terminator or a command can land anywhere, even inside another one.
    private static readonly string[] Splices = ["\r\n.\r\n", "\n.\n", "\r.\r", "BDAT 3\r\n", "DATA\r\n", "RSET\r\n", "\r\n"];

    /// <summary>One session's worth of client bytes.</summary>
    public static byte[] Session(Random random)
    {
        var text = new StringBuilder();
        var steps = random.Next(1, 24);
        for (var i = 0; i < steps; i++) AppendStep(text, random);
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).ToList();
        var mutations = random.Next(0, 4);
        for (var i = 0; i < mutations && bytes.Count > 0; i++) Mutate(bytes, random);
        return [.. bytes];
    }

    private static void AppendStep(StringBuilder text, Random random)
    {
        switch (random.Next(10))
        {
            case 0:
            case 1:
                // A plausible transaction start.
                text.Append("EHLO fuzz.test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\n");
                break;
            case 2:
                text.Append("DATA").Append(Pick(LineEnds, random));
                for (var i = random.Next(0, 8); i > 0; i--) text.Append(Pick(ContentPieces, random));
                if (random.Next(3) > 0) text.Append("\r\n.\r\n");
                break;
            case 3:
                var content = string.Concat(Enumerable.Range(0, random.Next(0, 5)).Select(_ => Pick(ContentPieces, random)));
                var declared = random.Next(4) == 0 ? random.Next(0, 50) : Encoding.UTF8.GetByteCount(content);
                var size = random.Next(12) == 0 ? Pick(["x", "-1", "", "99999999999999999999", " 5"], random) : declared.ToString();
                text.Append("BDAT ").Append(size).Append(random.Next(2) == 0 ? " LAST" : "").Append("\r\n").Append(content);
                break;
            case 4:
                text.Append(AnyCase(Pick(Verbs, random), random)).Append(' ').Append(Pick(Paths, random)).Append(Pick(LineEnds, random));
                break;
            case 5:
                text.Append(AnyCase(Pick(Verbs, random), random)).Append(Pick(LineEnds, random));
                break;
            case 6:
                text.Append("STARTTLS\r\n");
                break;
            case 7:
                text.Append(new string((char)random.Next(0x20, 0x7F), random.Next(0, 1200))).Append("\r\n");
                break;
            case 8:
                // Long names too: the reply echoes the name, and a reply line must stay within 512 octets.
                var name = Pick(["a\rb", "x\0y", "ünï", "[1.2.3.4]", "", "a b c", "xn--bcher-kva.example", new string('n', random.Next(200, 1000))], random);
                text.Append(AnyCase(Pick(["EHLO", "HELO"], random), random)).Append(' ').Append(name).Append("\r\n");
                break;
            default:
                text.Append(Pick(["RSET\r\n", "NOOP\r\n", "HELP STATUS\r\n", "QUIT\r\n", "\r\n", "VRFY x\r\n"], random));
                break;
        }
    }

    private static string AnyCase(string verb, Random random) =>
        string.Concat(verb.Select(c => random.Next(2) == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));

    private static void Mutate(List<byte> bytes, Random random)
    {
        var at = random.Next(bytes.Count);
        switch (random.Next(4))
        {
            case 3:
                bytes.InsertRange(at, Encoding.ASCII.GetBytes(Pick(Splices, random)));
                break;
            case 0:
                bytes[at] = (byte)random.Next(256);
                break;
            case 1:
                bytes.Insert(at, Pick<byte>([(byte)'\r', (byte)'\n', (byte)'.', 0, (byte)' ', 0xFF], random));
                break;
            default:
                bytes.RemoveAt(at);
                break;
        }
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];
}
