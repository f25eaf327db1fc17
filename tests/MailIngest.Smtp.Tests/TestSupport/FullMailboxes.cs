using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Tests.TestSupport;

/// <summary>A quota under which the mailboxes the test names are full.</summary>
internal sealed class FullMailboxes : IMailboxQuota
{
    public HashSet<string> Full { get; } = new(StringComparer.Ordinal);

    public bool IsFull(string mailbox) => Full.Contains(mailbox);
}
