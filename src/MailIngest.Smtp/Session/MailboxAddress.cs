using MailIngest.Smtp.Parsing;

namespace MailIngest.Smtp.Session;

/// <summary>A forward-path address as the client wrote it and in the normalized form used as mailbox id.</summary>
/// <param name="Address">local@domain as received (no brackets).</param>
/// <param name="Normalized">The mailbox id (see <see cref="Normalize"/>).</param>
public sealed record MailboxAddress(string Address, string Normalized)
{
    /// <summary>
    /// The one place that turns an address into a mailbox id, for RCPT TO and the admin API alike: lower-cased
    /// (invariant). RFC 5321 §2.4 lets the receiving host decide on the local part's case; this host treats
    /// addresses case-insensitively, as users expect.
    /// </summary>
    public static string Normalize(string address) => address.ToLowerInvariant();

    /// <summary>The same rule into a caller's buffer (RCPT TO checks for a repeated recipient without a string).</summary>
    public static void Normalize(ReadOnlySpan<char> address, Span<char> destination) => address.ToLowerInvariant(destination);

    /// <summary>
    /// The mailbox id of an address typed by a person or a program (surrounding spaces and angle brackets are
    /// allowed), or null when it is not a valid RFC 5321 mailbox.
    /// </summary>
    public static string? TryNormalize(string input)
    {
        var address = input.Trim().TrimStart('<').TrimEnd('>');
        return MailboxSyntax.IsValid(address) ? Normalize(address) : null;
    }
}
