namespace MailIngest.Smtp.Milter;

/// <summary>One header field: its name, its value as a milter sees it, and its octets as stored.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Value">The value after the colon, folds as "\n", leading space kept.</param>
/// <param name="Raw">The field's octets, folds and final CRLF included, written back unchanged unless edited.</param>
public sealed record HeaderField(string Name, string Value, byte[] Raw)
{
    /// <summary>"Name: value" as the APIs list an added or changed field (folds as spaces).</summary>
    public string Text => $"{Name}: {Value.TrimStart().Replace("\n", " ", StringComparison.Ordinal)}";
}
