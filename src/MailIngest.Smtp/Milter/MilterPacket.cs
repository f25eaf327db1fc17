using System.Buffers.Binary;
using System.Text;

namespace MailIngest.Smtp.Milter;

/// <summary>
/// The milter wire format (libmilter, mfdef.h): a 4-octet big-endian length counting the command octet and the
/// data, the command octet, the data. Strings in the data end with NUL. The builders here make the packets the
/// server (the MTA side) sends.
/// </summary>
public static class MilterPacket
{
    /// <summary>The protocol version offered: 6, as Postfix and libmilter 8.14+ speak.</summary>
    public const uint Version = 6;

    /// <summary>
    /// Largest reply accepted, command octet included. libmilter's own limit for what it sends is 64 KiB unless a
    /// larger one is negotiated (never offered here); anything far beyond is a broken or hostile peer.
    /// </summary>
    public const int MaxReplyLength = 1024 * 1024;

    /// <summary>Largest body chunk sent (MILTER_CHUNK_SIZE).</summary>
    public const int BodyChunkSize = 65535;

    /// <summary>SMFIC_OPTNEG: the version, the actions the server carries out and the steps a milter may skip.</summary>
    public static byte[] Negotiate(MilterActions actions, MilterProtocol protocol)
    {
        var packet = Start('O', 12, out var data);
        BinaryPrimitives.WriteUInt32BigEndian(data, Version);
        BinaryPrimitives.WriteUInt32BigEndian(data[4..], (uint)actions);
        BinaryPrimitives.WriteUInt32BigEndian(data[8..], (uint)protocol);
        return packet;
    }

    /// <summary>SMFIC_MACRO: name/value pairs for the step <paramref name="stage"/> (the command they precede).</summary>
    public static byte[] Macros(char stage, IReadOnlyList<KeyValuePair<string, string>> macros)
    {
        var strings = new List<string>(macros.Count * 2);
        foreach (var (name, value) in macros)
        {
            strings.Add(name);
            strings.Add(value);
        }

        return Strings('D', [(byte)stage], strings);
    }

    /// <summary>SMFIC_CONNECT: the client's name, family ('4' or '6'), port and address.</summary>
    public static byte[] Connect(string hostName, System.Net.IPAddress address, ushort port)
    {
        var family = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? '6' : '4';
        var text = family == '4' ? address.MapToIPv4().ToString() : address.ToString();
        var prefix = new byte[3];
        prefix[0] = (byte)family;
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(1), port);
        var name = Encoding.UTF8.GetBytes(hostName);
        var addressBytes = Encoding.ASCII.GetBytes(text);
        var packet = Start('C', name.Length + 1 + prefix.Length + addressBytes.Length + 1, out var data);
        name.CopyTo(data);
        prefix.CopyTo(data[(name.Length + 1)..]);
        addressBytes.CopyTo(data[(name.Length + 1 + prefix.Length)..]);
        return packet;
    }

    /// <summary>SMFIC_HELO.</summary>
    public static byte[] Helo(string name) => Strings('H', [], [name]);

    /// <summary>SMFIC_MAIL: the reverse path in angle brackets.</summary>
    public static byte[] Mail(string reversePath) => Strings('M', [], [$"<{reversePath}>"]);

    /// <summary>SMFIC_RCPT: one forward path in angle brackets.</summary>
    public static byte[] Recipient(string address) => Strings('R', [], [$"<{address}>"]);

    /// <summary>SMFIC_HEADER: one header field's name and value.</summary>
    public static byte[] Header(string name, string value) => Strings('L', [], [name, value]);

    /// <summary>SMFIC_BODY: a chunk of at most <see cref="BodyChunkSize"/> octets.</summary>
    public static byte[] Body(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length > BodyChunkSize) throw new ArgumentOutOfRangeException(nameof(chunk), "A body chunk is at most 65535 octets.");
        var packet = Start('B', chunk.Length, out var data);
        chunk.CopyTo(data);
        return packet;
    }

    /// <summary>A command with no data: SMFIC_DATA 'T', SMFIC_EOH 'N', SMFIC_BODYEOB 'E', SMFIC_ABORT 'A', SMFIC_QUIT 'Q'.</summary>
    public static byte[] Bare(char command) => Start(command, 0, out _);

    /// <summary>Reads a header's length field: the octets that follow it (command and data), or -1 when out of range.</summary>
    public static int ReadLength(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        return length is 0 or > MaxReplyLength ? -1 : (int)length;
    }

    private static byte[] Strings(char command, ReadOnlySpan<byte> prefix, IReadOnlyList<string> strings)
    {
        var length = prefix.Length;
        foreach (var text in strings) length += Encoding.UTF8.GetByteCount(text) + 1;
        var packet = Start(command, length, out var data);
        prefix.CopyTo(data);
        var at = prefix.Length;
        foreach (var text in strings)
        {
            at += Encoding.UTF8.GetBytes(text, data[at..]);
            data[at++] = 0;
        }

        return packet;
    }

    private static byte[] Start(char command, int dataLength, out Span<byte> data)
    {
        var packet = new byte[5 + dataLength];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(1 + dataLength));
        packet[4] = (byte)command;
        data = packet.AsSpan(5);
        return packet;
    }
}
