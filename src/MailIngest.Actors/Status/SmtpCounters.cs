namespace MailIngest.Actors.Status;

/// <summary>Node-wide SMTP counters shown in /status and HELP STATUS; updated lock-free by session actors.</summary>
public sealed class SmtpCounters
{
    private long _sessionsNow;
    private long _sessionsTotal;
    private long _accepted;
    private long _deferred;
    private long _rejected;
    private long _bytes;

    /// <summary>Open sessions.</summary>
    public long SessionsNow => Interlocked.Read(ref _sessionsNow);
    /// <summary>Sessions since start.</summary>
    public long SessionsTotal => Interlocked.Read(ref _sessionsTotal);
    /// <summary>Messages answered 250.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);
    /// <summary>Messages answered 451 (storage did not confirm).</summary>
    public long Deferred => Interlocked.Read(ref _deferred);
    /// <summary>Messages or commands refused with a 5xx reply.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    /// <summary>Octets received from clients.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>A session opened.</summary>
    public void SessionOpened()
    {
        Interlocked.Increment(ref _sessionsNow);
        Interlocked.Increment(ref _sessionsTotal);
    }

    /// <summary>A session closed.</summary>
    public void SessionClosed() => Interlocked.Decrement(ref _sessionsNow);
    /// <summary>A message was accepted.</summary>
    public void MessageAccepted() => Interlocked.Increment(ref _accepted);
    /// <summary>A message was deferred.</summary>
    public void MessageDeferred() => Interlocked.Increment(ref _deferred);
    /// <summary>A 5xx reply was sent.</summary>
    public void Rejection() => Interlocked.Increment(ref _rejected);
    /// <summary>Bytes arrived.</summary>
    public void Received(long count) => Interlocked.Add(ref _bytes, count);
}
