namespace MailIngest.Smtp.Session;

/// <summary>A forward-path address as the client wrote it and in the normalized form used as mailbox id.</summary>
/// <param name="Address">local@domain as received (no brackets).</param>
/// <param name="Normalized">Lower-cased (invariant) address; the mailbox entity id.</param>
public sealed record MailboxAddress(string Address, string Normalized);
