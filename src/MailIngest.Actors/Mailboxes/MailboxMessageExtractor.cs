using Akka.Cluster.Sharding;

namespace MailIngest.Actors.Mailboxes;

/// <summary>Routes <see cref="IMailboxCommand"/>s to the entity named by the normalized address.</summary>
public sealed class MailboxMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    /// <inheritdoc />
    public override string? EntityId(object message) => (message as IMailboxCommand)?.Mailbox;
}
