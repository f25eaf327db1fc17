using System.Net;
using System.Net.Sockets;

namespace MailIngest.Testing;

/// <summary>
/// Free loopback TCP ports for servers a test starts later. They are taken below Linux's ephemeral range
/// (32768-60999): a port from that range, free when chosen, can be handed to some process's outgoing connection
/// (a node's PostgreSQL pool, say) before the server binds it; that once kept a cluster node from starting.
/// </summary>
public static class FreePort
{
    private const int First = 20000;
    private const int Last = 32767;
    private static readonly HashSet<int> Given = [];

    /// <summary>A port that was free a moment ago and that this process has not handed out before.</summary>
    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(First, Last + 1);
                if (Given.Contains(port) || !IsFree(port)) continue;
                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {Last} after 200 tries");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
