using System.Text;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// The octets a DKIM signature covers besides the body hash (RFC 6376 §3.7): the header fields h= names, each the
/// last instance not yet used (§5.4.2), canonicalized (§3.4.1 simple, §3.4.2 relaxed), then the DKIM-Signature field
/// itself with its b= value deleted and without its final CRLF.
/// </summary>
public static class DkimSignedData
{
    /// <summary>
    /// <paramref name="fields"/> are the message's header fields in order, each its name as received (white space
    /// before the colon included) and its raw value (after the colon, folding and final CRLF included);
    /// <paramref name="signature"/> is the index of the DKIM-Signature field being verified.
    /// </summary>
    public static byte[] Of(IReadOnlyList<(byte[] Name, byte[] Value)> fields, int signature, IEnumerable<string> signed, bool relaxed)
    {
        var data = new List<byte>(1024);
        var used = new bool[fields.Count];
        var names = fields.Select(field => Latin1(field.Name).Trim()).ToArray();
        foreach (var wanted in signed)
        {
            var name = wanted.Trim();
            for (var i = fields.Count - 1; i >= 0; i--)
            {
                if (used[i] || !names[i].Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
                used[i] = true;
                data.AddRange(Canonical(fields[i].Name, fields[i].Value, relaxed));
                break;
            }
        }

        var own = Canonical(fields[signature].Name, WithoutSignatureValue(fields[signature].Value), relaxed);
        data.AddRange(own.AsSpan(0, own.Length - 2));
        return data.ToArray();
    }

    private static byte[] Canonical(byte[] name, byte[] value, bool relaxed)
    {
        if (!relaxed) return [.. name, (byte)':', .. value];
        // §3.4.2: name lower case; unfold; runs of WSP to one SP; no WSP at the value's ends or around the colon.
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in Latin1(value))
        {
            if (c is '\r' or '\n') continue;
            if (c is ' ' or '\t')
            {
                space = true;
                continue;
            }

            if (space && text.Length > 0) text.Append(' ');
            space = false;
            text.Append(c);
        }

        return Encoding.Latin1.GetBytes($"{Latin1(name).Trim().ToLowerInvariant()}:{text}\r\n");
    }

    /// <summary>§3.5: the value of b= "including all surrounding whitespace is deleted", its name and "=" stay.</summary>
    private static byte[] WithoutSignatureValue(byte[] value)
    {
        var text = Latin1(value);
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf(';', start);
            if (end < 0) end = text.Length;
            var equals = text.IndexOf('=', start, end - start);
            if (equals > 0 && text[start..equals].Trim() == "b")
            {
                // The field's final CRLF stays: it is not part of the tag's value.
                var tail = end == text.Length && text.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : text[end..];
                return Encoding.Latin1.GetBytes(text[..(equals + 1)] + tail);
            }

            start = end + 1;
        }

        return value;
    }

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);
}
