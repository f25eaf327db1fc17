namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Quota; absent means no such limit.</summary>
public sealed class QuotaSettings
{
    /// <summary>Messages a mailbox holds before RCPT TO to it answers 452 4.2.2.</summary>
    public long? MaxMessagesPerMailbox { get; set; }

    /// <summary>Octets (the messages as received) a mailbox holds before RCPT TO to it answers 452 4.2.2.</summary>
    public long? MaxBytesPerMailbox { get; set; }
}
