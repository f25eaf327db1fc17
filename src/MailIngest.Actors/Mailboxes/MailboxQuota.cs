namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// The most a mailbox holds before RCPT TO to it answers 452 4.2.2 (MailIngest:Quota): messages, and octets of the
/// messages as received. Null: no such limit.
/// </summary>
public sealed record MailboxQuota(long? MaxMessages, long? MaxBytes)
{
    /// <summary>No quota.</summary>
    public static readonly MailboxQuota None = new(null, null);

    /// <summary>True when some limit is set.</summary>
    public bool Limits => MaxMessages is not null || MaxBytes is not null;
}
