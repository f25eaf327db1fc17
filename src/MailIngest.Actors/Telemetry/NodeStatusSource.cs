using Akka.Actor;
using Akka.Cluster;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Telemetry;

/// <summary>HELP STATUS lines (RFC 5321 211 reply): node, members up, active sessions, uptime.</summary>
public sealed class NodeStatusSource(ActorSystem system, SmtpCounters counters, TimeProvider clock) : ISmtpStatusSource
{
    private readonly DateTimeOffset _started = clock.GetUtcNow();

    /// <summary>Time since the node started.</summary>
    public TimeSpan Uptime => clock.GetUtcNow() - _started;

    /// <inheritdoc />
    public IReadOnlyList<string> StatusLines()
    {
        var cluster = Cluster.Get(system);
        return
        [
            $"Node {cluster.SelfAddress}",
            $"Cluster members up: {cluster.State.Members.Count(member => member.Status == MemberStatus.Up)}",
            $"Active sessions: {counters.SessionsNow}",
            $"Uptime: {(long)Uptime.TotalSeconds} s",
        ];
    }
}
