namespace MailIngest.Testing;

/// <summary>
/// When each node was out of service (from the kill or SIGTERM until it was ready again), by SMTP port, so a test
/// can tell the transactions that went through a node that stayed up from those the outage may have touched.
/// </summary>
public sealed class NodeOutages
{
    private readonly List<(int Port, DateTime From, DateTime? To)> _windows = [];

    /// <summary>Marks <paramref name="node"/> out of service from now.</summary>
    public void Down(HostProcess node)
    {
        lock (_windows) _windows.Add((node.SmtpPort, DateTime.UtcNow, null));
    }

    /// <summary>Marks the node on <paramref name="smtpPort"/> in service again from now.</summary>
    public void Up(int smtpPort)
    {
        lock (_windows)
        {
            var open = _windows.FindLastIndex(window => window.Port == smtpPort && window.To is null);
            if (open < 0) throw new InvalidOperationException($"The node on port {smtpPort} was not down");
            _windows[open] = _windows[open] with { To = DateTime.UtcNow };
        }
    }

    /// <summary>True when <paramref name="message"/>'s node was out of service at some point while it was being sent.</summary>
    public bool Touched(SentMessage message)
    {
        lock (_windows)
            return _windows.Any(window => window.Port == message.Port && window.From <= message.Finished && (window.To ?? DateTime.MaxValue) >= message.Started);
    }
}
