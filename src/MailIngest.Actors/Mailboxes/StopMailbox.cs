namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// What sharding sends a mailbox to stop it (hand-off to another node, idle passivation) instead of a PoisonPill: the
/// mailbox stops once its writes in flight have completed and their senders have their answer. Stopped with a write
/// in flight, the entity's next incarnation on another node could recover before that write commits, reuse its
/// sequence number and fail its own first write. Sent only within a node, so never serialized.
/// </summary>
public sealed class StopMailbox
{
    /// <summary>The one instance.</summary>
    public static readonly StopMailbox Instance = new();

    private StopMailbox()
    {
    }
}
