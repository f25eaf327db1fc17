using System.Net;
using System.Net.Sockets;

namespace MailIngest.Deploy.Tests;

/// <summary>Free loopback TCP ports, found by letting the OS pick and releasing at once.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
