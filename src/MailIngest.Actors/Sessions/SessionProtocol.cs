using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Sessions;

/// <summary>Messages a session actor receives; all local to the node.</summary>
public static class SessionProtocol
{
    /// <summary>Send the greeting (first message after start).</summary>
    public sealed record Greet
    {
        /// <summary>The single instance.</summary>
        public static readonly Greet Instance = new();
    }

    /// <summary>Bytes read from the peer. <see cref="Buffer"/> is lent: copy before releasing the reader.</summary>
    public sealed record Received(byte[] Buffer, int Count);

    /// <summary>The peer closed its side, or reading failed.</summary>
    public sealed record PeerGone(Exception? Error);

    /// <summary>A delivery finished.</summary>
    public sealed record DeliveryFinished(DeliveryOutcome Outcome);

    /// <summary>The node drains: finish the transaction in flight, then 421 4.3.2.</summary>
    public sealed record Drain
    {
        /// <summary>The single instance.</summary>
        public static readonly Drain Instance = new();
    }

    /// <summary>The drain grace period is over: close now.</summary>
    public sealed record ForceClose
    {
        /// <summary>The single instance.</summary>
        public static readonly ForceClose Instance = new();
    }
}
