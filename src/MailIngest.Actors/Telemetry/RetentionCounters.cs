namespace MailIngest.Actors.Telemetry;

/// <summary>Messages retention deleted while this node ran the sweeper; in /status and (as a counter) in /metrics.</summary>
public sealed class RetentionCounters
{
    private long _expired;

    /// <summary>Messages expired since start.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <summary><paramref name="count"/> more messages expired.</summary>
    public void Add(long count)
    {
        Interlocked.Add(ref _expired, count);
        MailIngestMeter.MessagesExpired.Add(count);
    }
}
