using System.Collections.Concurrent;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// The node's list of full mailboxes, which RCPT TO reads without a round trip to the mailbox (which may live on
/// another node). Mailboxes tell every node when they fill up and when they have room again
/// (<see cref="MailboxQuotaChanged"/> through distributed pub-sub, <see cref="QuotaBoardActor"/>). A node that has not
/// heard yet (it just started, or the mailbox's entity had stopped) accepts one more transaction for the mailbox,
/// which stores it and says again that it is full: the quota is soft by that much.
/// </summary>
public sealed class QuotaBoard : IMailboxQuota
{
    /// <summary>The pub-sub topic of <see cref="MailboxQuotaChanged"/>.</summary>
    public const string Topic = "mailbox-quota";

    private readonly ConcurrentDictionary<string, byte> _full = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsFull(string mailbox)
    {
        // ContainsKey reads without a lock; IsEmpty on an empty dictionary takes every lock, once per RCPT.
        if (!_full.ContainsKey(mailbox)) return false;
        MailIngestMeter.RecipientsOverQuota.Add(1);
        return true;
    }

    /// <summary>Mailboxes known to be full now.</summary>
    public int FullCount => _full.Count;

    /// <summary>Takes in what a mailbox said about itself.</summary>
    public void Apply(MailboxQuotaChanged changed)
    {
        if (changed.Full) _full[changed.Mailbox] = 0;
        else _full.TryRemove(changed.Mailbox, out _);
    }
}
