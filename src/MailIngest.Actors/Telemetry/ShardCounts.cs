namespace MailIngest.Actors.Telemetry;

/// <summary>Shards and mailbox entities on this node, as last read from the shard region (kept fresh by the host).</summary>
public sealed class ShardCounts
{
    private volatile int _shards;
    private volatile int _entities;

    /// <summary>Shards this node hosts.</summary>
    public int Shards => _shards;

    /// <summary>Mailbox entities alive on this node.</summary>
    public int Entities => _entities;

    /// <summary>Records a fresh reading.</summary>
    public void Update(int shards, int entities)
    {
        _shards = shards;
        _entities = entities;
    }
}
