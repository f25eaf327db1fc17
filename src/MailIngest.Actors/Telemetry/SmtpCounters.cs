namespace MailIngest.Actors.Telemetry;

/// <summary>Node-wide SMTP counters shown in /status, HELP STATUS and the dashboard; updated lock-free by session actors.</summary>
public sealed class SmtpCounters
{
    private const int FirstRefusalCode = 400;
    private const int LastReplyCode = 599;
    private long _sessionsNow;
    private long _sessionsTotal;
    private long _accepted;
    private long _deferred;
    private long _rejected;
    private long _bytes;
    private readonly long[] _refusalsByCode = new long[LastReplyCode - FirstRefusalCode + 1];

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
    /// <summary>
    /// A reply went to a client: one place counts it for /metrics (smtp_replies{code}), for the dashboard (4xx and 5xx
    /// by code) and for /status (5xx as rejected).
    /// </summary>
    public void ReplySent(int code)
    {
        MailIngestMeter.Replies.Add(1, MailIngestMeter.CodeTag(code));
        if (code is < FirstRefusalCode or > LastReplyCode) return;
        Interlocked.Increment(ref _refusalsByCode[code - FirstRefusalCode]);
        if (code >= 500) Interlocked.Increment(ref _rejected);
    }

    /// <summary>4xx and 5xx replies sent since start, by code; codes never sent are left out.</summary>
    public IReadOnlyDictionary<int, long> RefusalsByCode()
    {
        var counts = new Dictionary<int, long>();
        for (var i = 0; i < _refusalsByCode.Length; i++)
        {
            var count = Interlocked.Read(ref _refusalsByCode[i]);
            if (count > 0) counts[FirstRefusalCode + i] = count;
        }

        return counts;
    }
    /// <summary>Bytes arrived.</summary>
    public void Received(long count) => Interlocked.Add(ref _bytes, count);
}
