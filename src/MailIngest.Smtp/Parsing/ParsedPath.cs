namespace MailIngest.Smtp.Parsing;

/// <summary>
/// A MAIL or RCPT argument as slices of the command line: the address without brackets (source route
/// dropped) and the esmtp-params after it, unparsed.
/// </summary>
internal readonly ref struct ParsedPath(ReadOnlySpan<char> address, ReadOnlySpan<char> parameters)
{
    public ReadOnlySpan<char> Address { get; } = address;

    /// <summary>Space-separated esmtp-params (see <see cref="MailParameters"/>); empty or blank when none.</summary>
    public ReadOnlySpan<char> Parameters { get; } = parameters;
}
