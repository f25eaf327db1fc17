namespace MailIngest.Actors.Transport;

/// <summary>What the listener tells its session actors; all local to the node.</summary>
public static class SessionProtocol
{
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
