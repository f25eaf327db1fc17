using System.Security.Cryptography;

namespace MailIngest.Smtp.Authentication;

/// <summary>
/// The SHA-256 of a message body canonicalized as RFC 6376 §3.4.3 (simple) or §3.4.4 (relaxed) says, over at most l=
/// octets of it (§3.5), read once from a stream: no MIME parse, no copy of the body.
/// </summary>
public sealed class DkimBodyHash
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly bool _relaxed;
    private long _room;
    private int _emptyLines;
    private bool _wrote;

    private DkimBodyHash(bool relaxed, long? length) => (_relaxed, _room) = (relaxed, length ?? long.MaxValue);

    /// <summary>The body hash of <paramref name="body"/> (read to its end), as bh= carries it, base64 decoded.</summary>
    public static async Task<byte[]> ComputeAsync(Stream body, bool relaxed, long? length, CancellationToken cancellation)
    {
        var hash = new DkimBodyHash(relaxed, length);
        var line = new List<byte>(128);
        var buffer = new byte[16 * 1024];
        var afterCr = false;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellation)) > 0)
        {
            foreach (var octet in buffer.AsSpan(0, read))
            {
                if (afterCr && octet == '\n')
                {
                    line.RemoveAt(line.Count - 1);
                    hash.Line(line);
                    line.Clear();
                    afterCr = false;
                    continue;
                }

                line.Add(octet);
                afterCr = octet == '\r';
            }
        }

        if (line.Count > 0) hash.Line(line);
        return hash.Finish();
    }

    private void Line(List<byte> line)
    {
        var text = _relaxed ? Relaxed(line) : line;
        // §3.4.3, §3.4.4: empty lines at the end of the body are ignored, so they are held until a line with text (a
        // last line without CRLF that is empty, or white space only in relaxed, is nothing).
        if (text.Count == 0)
        {
            _emptyLines++;
            return;
        }

        for (; _emptyLines > 0; _emptyLines--) Add("\r\n"u8);
        Add(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(text));
        // A last line without CRLF gets one (both algorithms).
        Add("\r\n"u8);
        _wrote = true;
    }

    /// <summary>§3.4.4: white space at the end of the line goes, and every other run of it becomes one space.</summary>
    private static List<byte> Relaxed(List<byte> line)
    {
        var result = new List<byte>(line.Count);
        var space = false;
        foreach (var octet in line)
        {
            if (octet is (byte)' ' or (byte)'\t')
            {
                space = true;
                continue;
            }

            if (space) result.Add((byte)' ');
            space = false;
            result.Add(octet);
        }

        return result;
    }

    private byte[] Finish()
    {
        // §3.4.3: an empty body is one CRLF in simple; §3.4.4: nothing at all in relaxed.
        if (!_wrote && !_relaxed) Add("\r\n"u8);
        var digest = _hash.GetHashAndReset();
        _hash.Dispose();
        return digest;
    }

    private void Add(ReadOnlySpan<byte> octets)
    {
        var take = (int)Math.Min(octets.Length, _room);
        if (take <= 0) return;
        _hash.AppendData(octets[..take]);
        _room -= take;
    }
}
