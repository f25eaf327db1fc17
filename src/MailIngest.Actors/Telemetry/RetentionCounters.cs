namespace MailIngest.Actors.Telemetry;

/// <summary>
/// What retention did while this node ran the sweeper: messages it deleted (in /status and, as a counter, in /metrics)
/// and when the oldest message it waits on was accepted (/status).
/// </summary>
public sealed class RetentionCounters
{
    private const long NoneWaiting = long.MinValue;
    private long _expired;
    private long _oldestWaitingTicks = NoneWaiting;

    /// <summary>When the oldest message retention waits on (not yet past its age) was accepted; null when none is.</summary>
    public DateTimeOffset? OldestWaiting => Interlocked.Read(ref _oldestWaitingTicks) is var ticks && ticks != NoneWaiting
        ? new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    /// <summary>The last sweep's oldest message not yet past its age, or null when it met none.</summary>
    public void Waiting(DateTimeOffset? acceptedAt) => Interlocked.Exchange(ref _oldestWaitingTicks, acceptedAt?.UtcTicks ?? NoneWaiting);

    /// <summary>Messages expired since start.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <summary><paramref name="count"/> more messages expired.</summary>
    public void Add(long count)
    {
        Interlocked.Add(ref _expired, count);
        MailIngestMeter.MessagesExpired.Add(count);
    }
}
