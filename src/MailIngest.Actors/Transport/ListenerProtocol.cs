using System.Net.Sockets;

namespace MailIngest.Actors.Transport;

/// <summary>Messages the SMTP listener actor receives.</summary>
public static class ListenerProtocol
{
    /// <summary>A client connected.</summary>
    public sealed record Accepted(Socket Socket);

    /// <summary>
    /// A connection behind a PROXY-protocol balancer named its client: may it be served? Asked by the session's
    /// <see cref="ConnectionOpener"/>; if so, <see cref="Session"/> counts against the client's limit.
    /// </summary>
    public sealed record Admit(System.Net.IPAddress Client, Akka.Actor.IActorRef Session);

    /// <summary>The answer to <see cref="Admit"/>, with whether the client is in a trusted network.</summary>
    public sealed record Admitted(Smtp.Session.Admission Admission, bool Trusted);

    /// <summary>Stop accepting, ask sessions to finish, and close the stragglers after <see cref="Grace"/>.</summary>
    public sealed record Drain(TimeSpan Grace);

    /// <summary>The listener's own timer: the drain grace period is over, sessions still open are closed now.</summary>
    public sealed record GraceOver
    {
        /// <summary>The single instance.</summary>
        public static readonly GraceOver Instance = new();
    }

    /// <summary>Answered with <see cref="Drained"/> once every session has stopped.</summary>
    public sealed record AwaitDrained
    {
        /// <summary>The single instance.</summary>
        public static readonly AwaitDrained Instance = new();
    }

    /// <summary>All sessions are gone.</summary>
    public sealed record Drained
    {
        /// <summary>The single instance.</summary>
        public static readonly Drained Instance = new();
    }
}
