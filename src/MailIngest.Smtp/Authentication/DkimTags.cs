namespace MailIngest.Smtp.Authentication;

/// <summary>
/// A DKIM tag list (RFC 6376 §3.2): "name=value" pairs separated by ";", as in a DKIM-Signature field or a key record.
/// Folding white space around names and values is dropped; inside a value it is kept except where the caller asks
/// for it to go (base64 values may be folded anywhere).
/// </summary>
public sealed class DkimTags
{
    private readonly Dictionary<string, string> _tags;

    private DkimTags(Dictionary<string, string> tags) => _tags = tags;

    /// <summary>The tag list in <paramref name="text"/>, or null when it breaks §3.2 (a nameless or repeated tag).</summary>
    public static DkimTags? Parse(string text)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';'))
        {
            if (part.Trim().Length == 0) continue;
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) return null;
            var name = part[..equals].Trim();
            if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) return null;
            // §3.2: "Tags with duplicate names MUST NOT occur within a single tag-list".
            if (!tags.TryAdd(name, part[(equals + 1)..].Trim())) return null;
        }

        return tags.Count == 0 ? null : new DkimTags(tags);
    }

    /// <summary>The value of <paramref name="name"/> (names are case-sensitive), or null.</summary>
    public string? Get(string name) => _tags.GetValueOrDefault(name);

    /// <summary>The value of <paramref name="name"/> with all white space removed (base64 tags such as b= and bh=).</summary>
    public string? Compact(string name) => Get(name) is { } value ? new string(value.Where(c => !char.IsWhiteSpace(c)).ToArray()) : null;
}
