using System.Net;
using System.Text;

namespace MailIngest.Testing;

/// <summary>PROXY protocol headers as a load balancer sends them, for tests that play the balancer.</summary>
public static class ProxyHeaders
{
    private static readonly byte[] Signature = "\r\n\r\n\0\r\nQUIT\n"u8.ToArray();

    /// <summary>Version 1 for a TCP4 client: "PROXY TCP4 &lt;client&gt; 10.0.0.1 56324 25\r\n".</summary>
    public static byte[] Version1(string client) => Encoding.ASCII.GetBytes($"PROXY TCP4 {client} 10.0.0.1 56324 25\r\n");

    /// <summary>Version 2 with <paramref name="command"/> 1 (PROXY) or 0 (LOCAL), a family/transport octet and the address block.</summary>
    public static byte[] Version2(int command, byte family, byte[] addresses) =>
        [.. Signature, (byte)(0x20 | command), family, (byte)(addresses.Length >> 8), (byte)addresses.Length, .. addresses];

    /// <summary>The version 2 address block of a TCP4 connection from <paramref name="client"/> to 10.0.0.1:25.</summary>
    public static byte[] Tcp4(string client) => [.. IPAddress.Parse(client).GetAddressBytes(), 10, 0, 0, 1, 0x30, 0x39, 0, 25];
}
