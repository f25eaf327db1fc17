namespace MailIngest.Actors.Telemetry;

/// <summary>The last cluster membership or reachability change this node saw, for /status.</summary>
public sealed class MembershipLog
{
    private volatile MembershipChange? _last;

    /// <summary>The last change, or null before the first one.</summary>
    public MembershipChange? Last => _last;

    /// <summary>Records a change.</summary>
    public void Record(MembershipChange change) => _last = change;
}

/// <summary>One membership change: when, and what (e.g. "MemberRemoved akka.tcp://mailingest@10.0.0.5:4053").</summary>
public sealed record MembershipChange(DateTimeOffset At, string Event);
