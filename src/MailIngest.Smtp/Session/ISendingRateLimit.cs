using System.Net;

namespace MailIngest.Smtp.Session;

/// <summary>How many transactions a client address may start; the host decides (node-wide, over time).</summary>
public interface ISendingRateLimit
{
    /// <summary>True when <paramref name="client"/> may start one more transaction now (and counts it).</summary>
    bool TryStartTransaction(IPAddress client);
}
