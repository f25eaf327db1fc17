using System.Net;
using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Tests.TestSupport;

/// <summary>Allows the first <paramref name="allowed"/> transactions and records who asked.</summary>
internal sealed class CountingRateLimit(int allowed) : ISendingRateLimit
{
    public List<IPAddress> Asked { get; } = [];

    public bool TryStartTransaction(IPAddress client)
    {
        Asked.Add(client);
        return Asked.Count <= allowed;
    }
}
