using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace MailIngest.Actors.Transport;

/// <summary>
/// The PROXY protocol header a load balancer sends before the client's first byte (HAProxy's PROXY protocol,
/// versions 1 and 2): which address the connection really comes from. Pure parsing, no IO.
/// </summary>
public static class ProxyHeader
{
    /// <summary>Longest version 1 line, CRLF included (the specification's limit).</summary>
    public const int MaxVersion1Length = 107;

    /// <summary>Longest version 2 header accepted: 16 fixed octets plus addresses and TLVs.</summary>
    public const int MaxVersion2Length = 16 + 512;

    private static ReadOnlySpan<byte> Version2Signature => "\r\n\r\n\0\r\nQUIT\n"u8;

    /// <summary>
    /// Reads a header at the start of <paramref name="input"/>. On <see cref="ProxyParseStatus.Done"/>,
    /// <paramref name="length"/> octets belong to the header and <paramref name="source"/> is the client's address,
    /// or null when the header says the connection is the balancer's own (v1 UNKNOWN, v2 LOCAL or UNSPEC).
    /// </summary>
    public static ProxyParseStatus TryParse(ReadOnlySpan<byte> input, out int length, out IPAddress? source)
    {
        length = 0;
        source = null;
        if (input.IsEmpty) return ProxyParseStatus.NeedMore;
        if (input[0] == (byte)'P') return ParseVersion1(input, out length, out source);
        if (input[0] == (byte)'\r') return ParseVersion2(input, out length, out source);
        return ProxyParseStatus.Invalid;
    }

    // "PROXY TCP4 <src> <dst> <sport> <dport>\r\n", "PROXY TCP6 ...", or "PROXY UNKNOWN[ anything]\r\n".
    private static ProxyParseStatus ParseVersion1(ReadOnlySpan<byte> input, out int length, out IPAddress? source)
    {
        length = 0;
        source = null;
        var prefix = "PROXY "u8;
        var compared = Math.Min(prefix.Length, input.Length);
        if (!input[..compared].SequenceEqual(prefix[..compared])) return ProxyParseStatus.Invalid;
        var lf = input[..Math.Min(input.Length, MaxVersion1Length)].IndexOf((byte)'\n');
        if (lf < 0) return input.Length >= MaxVersion1Length ? ProxyParseStatus.Invalid : ProxyParseStatus.NeedMore;
        if (lf == 0 || input[lf - 1] != (byte)'\r') return ProxyParseStatus.Invalid;

        var fields = Encoding.ASCII.GetString(input[..(lf - 1)]).Split(' ');
        length = lf + 1;
        if (fields is [_, "UNKNOWN", ..]) return ProxyParseStatus.Done;
        if (fields is not [_, "TCP4" or "TCP6", var from, var to, var fromPort, var toPort]) return ProxyParseStatus.Invalid;
        var family = fields[1] == "TCP4" ? System.Net.Sockets.AddressFamily.InterNetwork : System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (!IPAddress.TryParse(from, out var client) || client.AddressFamily != family
            || !IPAddress.TryParse(to, out var server) || server.AddressFamily != family
            || !IsPort(fromPort) || !IsPort(toPort))
            return ProxyParseStatus.Invalid;

        source = client;
        return ProxyParseStatus.Done;
    }

    // 12-octet signature, version/command, family/transport, 2-octet length, then addresses and TLVs.
    private static ProxyParseStatus ParseVersion2(ReadOnlySpan<byte> input, out int length, out IPAddress? source)
    {
        length = 0;
        source = null;
        var compared = Math.Min(Version2Signature.Length, input.Length);
        if (!input[..compared].SequenceEqual(Version2Signature[..compared])) return ProxyParseStatus.Invalid;
        if (input.Length < 16) return ProxyParseStatus.NeedMore;

        var versionCommand = input[12];
        var familyTransport = input[13];
        var payload = BinaryPrimitives.ReadUInt16BigEndian(input[14..16]);
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1 || 16 + payload > MaxVersion2Length) return ProxyParseStatus.Invalid;
        if (input.Length < 16 + payload) return ProxyParseStatus.NeedMore;
        length = 16 + payload;

        // LOCAL (health checks from the balancer itself) and UNSPEC carry no client address.
        if ((versionCommand & 0x0F) == 0 || familyTransport == 0x00) return ProxyParseStatus.Done;
        var addresses = input.Slice(16, payload);
        switch (familyTransport)
        {
            case 0x11 when payload >= 12:
                source = new IPAddress(addresses[..4]);
                return ProxyParseStatus.Done;
            case 0x21 when payload >= 36:
                source = new IPAddress(addresses[..16]);
                return ProxyParseStatus.Done;
            default:
                return ProxyParseStatus.Invalid;
        }
    }

    private static bool IsPort(string text) =>
        text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit) && int.Parse(text, CultureInfo.InvariantCulture) <= 65535;
}
