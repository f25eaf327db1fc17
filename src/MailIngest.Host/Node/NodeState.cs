using System.Net;

namespace MailIngest.Host.Node;

/// <summary>What this node's endpoints are bound to and whether it is draining; read by /status and /readyz.</summary>
public sealed class NodeState
{
    private volatile bool _draining;
    private volatile bool _mailboxesAnswered;

    /// <summary>The bound SMTP endpoint, once listening.</summary>
    public IPEndPoint? SmtpEndpoint { get; set; }

    /// <summary>The bound implicit-TLS SMTP endpoint, once listening; null when there is none.</summary>
    public IPEndPoint? SmtpsEndpoint { get; set; }

    /// <summary>The bound admin endpoint, once listening.</summary>
    public IPEndPoint? AdminEndpoint { get; set; }

    /// <summary>True from the first shutdown signal on.</summary>
    public bool Draining => _draining;

    /// <summary>True once a mailbox answered through the shard region (see <see cref="MailboxWarmUpService"/>).</summary>
    public bool MailboxesAnswered => _mailboxesAnswered;

    /// <summary>Records that a mailbox answered.</summary>
    public void MailboxesAnswer() => _mailboxesAnswered = true;

    /// <summary>Marks the node as draining.</summary>
    public void StartDraining() => _draining = true;
}
