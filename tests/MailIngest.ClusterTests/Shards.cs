using MailIngest.Actors.Hosting;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.ClusterTests;

/// <summary>Which shard a mailbox lives in, computed by the host's own message extractor.</summary>
public static class Shards
{
    private static readonly MailboxMessageExtractor Extractor = new(MailboxShardingSetup.MaxShards);

    /// <summary>The shard id of <paramref name="mailbox"/> (a lower-case address).</summary>
    public static string Of(string mailbox) => Extractor.ShardId(mailbox, new ListMessages(mailbox, 0, 1));
}
