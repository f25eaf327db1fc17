namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// The admin API's paths to a mailbox's messages, spelled once: the host maps them, the feed and the webhooks link
/// to them.
/// </summary>
public static class MailboxRoutes
{
    /// <summary>Route template of a mailbox itself (DELETE empties it).</summary>
    public const string Mailbox = "/api/mailboxes/{address}";

    /// <summary>Route template of a mailbox's message list; the routes below are relative to it.</summary>
    public const string Messages = "/api/mailboxes/{address}/messages";

    /// <summary>One message, parsed.</summary>
    public const string Message = "/{id}";

    /// <summary>One message as received.</summary>
    public const string Raw = "/{id}/raw";

    /// <summary>The path of a stored message's raw form.</summary>
    public static string RawOf(string mailbox, string id) => (Messages + Raw)
        .Replace("{address}", Uri.EscapeDataString(mailbox), StringComparison.Ordinal)
        .Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal);
}
