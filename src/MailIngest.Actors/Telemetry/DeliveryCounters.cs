namespace MailIngest.Actors.Telemetry;

/// <summary>
/// Copies whose mailbox has not answered within one attempt: during a failover these wait for their shard to be
/// allocated on a surviving node and are sent again until it answers. Shown in /status.
/// </summary>
public sealed class DeliveryCounters
{
    private long _waitingOnShard;
    private long _resends;

    /// <summary>Copies sent at least twice and still unacknowledged.</summary>
    public long WaitingOnShard => Interlocked.Read(ref _waitingOnShard);

    /// <summary>Copies sent again since start.</summary>
    public long Resends => Interlocked.Read(ref _resends);

    /// <summary>A copy was not acknowledged within its first attempt and is sent again.</summary>
    public void StartedWaiting() => Interlocked.Increment(ref _waitingOnShard);

    /// <summary>A waiting copy was acknowledged, or its delivery gave up.</summary>
    public void StoppedWaiting() => Interlocked.Decrement(ref _waitingOnShard);

    /// <summary>One more resend.</summary>
    public void Resent() => Interlocked.Increment(ref _resends);
}
