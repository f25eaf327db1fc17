using System.Text;

namespace MailIngest.Smtp.Milter;

/// <summary>
/// A message's header section as a list of fields, so that a milter's header edits (add, insert at an index,
/// change or delete the n-th field of a name) can be applied and the section written back; fields nobody edited
/// keep their octets exactly (a DKIM signature over them stays valid).
/// </summary>
public sealed class HeaderSection
{
    private readonly List<HeaderField> _fields;

    private HeaderSection(List<HeaderField> fields) => _fields = fields;

    /// <summary>The fields in order.</summary>
    public IReadOnlyList<HeaderField> Fields => _fields;

    /// <summary>
    /// Splits <paramref name="header"/> (the octets before the empty line, without it) into fields. A line that is
    /// neither a field nor a fold (no colon) is kept as a nameless field: written back as it was, never sent to a milter.
    /// </summary>
    public static HeaderSection Parse(ReadOnlySpan<byte> header)
    {
        var fields = new List<HeaderField>();
        var start = 0;
        while (start < header.Length)
        {
            var end = start;
            // A field runs to the CRLF not followed by a space or tab (RFC 5322 §2.2.3).
            while (true)
            {
                var lineEnd = header[end..].IndexOf("\r\n"u8);
                end = lineEnd < 0 ? header.Length : end + lineEnd + 2;
                if (end >= header.Length || header[end] is not ((byte)' ' or (byte)'\t')) break;
            }

            fields.Add(Field(header[start..end].ToArray()));
            start = end;
        }

        return new HeaderSection(fields);
    }

    /// <summary>Offset of the body in <paramref name="message"/>: after the first empty line, or its end when none.</summary>
    /// <param name="message">The message's octets (or a prefix of them holding the whole header section).</param>
    /// <param name="headerLength">The header section's length, without the empty line.</param>
    public static int FindBody(ReadOnlySpan<byte> message, out int headerLength)
    {
        if (message.StartsWith("\r\n"u8))
        {
            headerLength = 0;
            return 2;
        }

        var blank = message.IndexOf("\r\n\r\n"u8);
        if (blank < 0)
        {
            headerLength = message.Length;
            return message.Length;
        }

        headerLength = blank + 2;
        return blank + 4;
    }

    /// <summary>Appends a field (SMFIR_ADDHEADER).</summary>
    public HeaderField Add(string name, string value, bool leadingSpace)
    {
        var field = Build(name, value, leadingSpace);
        _fields.Add(field);
        return field;
    }

    /// <summary>Inserts a field before the one at <paramref name="index"/> (0: first; past the end: last) (SMFIR_INSHEADER).</summary>
    public HeaderField Insert(int index, string name, string value, bool leadingSpace)
    {
        var field = Build(name, value, leadingSpace);
        _fields.Insert(Math.Clamp(index, 0, _fields.Count), field);
        return field;
    }

    /// <summary>
    /// Changes the <paramref name="occurrence"/>-th (from 1) field named <paramref name="name"/> (SMFIR_CHGHEADER); an
    /// empty value deletes it. As in sendmail, changing a field that is not there adds it. Returns the new field, or
    /// null when one was deleted or there was nothing to delete.
    /// </summary>
    public HeaderField? Change(int occurrence, string name, string value, bool leadingSpace)
    {
        var seen = 0;
        for (var i = 0; i < _fields.Count; i++)
        {
            if (!string.Equals(_fields[i].Name, name, StringComparison.OrdinalIgnoreCase) || ++seen < Math.Max(occurrence, 1)) continue;
            if (value.Length == 0)
            {
                _fields.RemoveAt(i);
                return null;
            }

            return _fields[i] = Build(name, value, leadingSpace);
        }

        return value.Length == 0 ? null : Add(name, value, leadingSpace);
    }

    /// <summary>Removes every field <paramref name="match"/> picks; returns how many went.</summary>
    public int RemoveAll(Predicate<HeaderField> match) => _fields.RemoveAll(match);

    /// <summary>Writes the fields, then the empty line that ends the section.</summary>
    public void WriteTo(Stream destination)
    {
        foreach (var field in _fields) destination.Write(field.Raw);
        destination.Write("\r\n"u8);
    }

    private static HeaderField Field(byte[] raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon > 0 ? text[..colon] : "";
        if (name.Length == 0 || name.Any(c => c is <= ' ' or >= '\x7f')) return new HeaderField("", "", raw);
        var value = text[(colon + 1)..].TrimEnd('\r', '\n').Replace("\r\n", "\n", StringComparison.Ordinal);
        return new HeaderField(name, value, raw);
    }

    private static HeaderField Build(string name, string value, bool leadingSpace)
    {
        // A milter folds with "\n" (or CRLF); every fold must go on with white space, or it would start a new field.
        var lines = value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var text = new StringBuilder(name).Append(':');
        if (!leadingSpace) text.Append(' ');
        text.Append(lines[0]);
        for (var i = 1; i < lines.Length; i++)
        {
            text.Append("\r\n");
            if (lines[i].Length == 0 || lines[i][0] is not (' ' or '\t')) text.Append('\t');
            text.Append(lines[i]);
        }

        text.Append("\r\n");
        return new HeaderField(name, value, Encoding.UTF8.GetBytes(text.ToString()));
    }
}
