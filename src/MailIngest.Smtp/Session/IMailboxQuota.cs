namespace MailIngest.Smtp.Session;

/// <summary>Whether a mailbox is over its quota; the host decides (what its mailboxes last said about themselves).</summary>
public interface IMailboxQuota
{
    /// <summary>True while the mailbox with this normalized address is full; RCPT TO then answers 452 4.2.2.</summary>
    bool IsFull(string mailbox);
}
