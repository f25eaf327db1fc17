using System.Buffers;
using System.Security.Cryptography;
using MailIngest.Smtp.Milter;

namespace MailIngest.Actors.Delivery;

/// <summary>
/// Holds one message's content while it arrives: in memory up to a threshold, then in a temporary file
/// that is deleted on dispose, so a 25 MiB message costs a file, not 25 MiB of heap. Hashes as it goes.
/// </summary>
public sealed class MessageSpool(string directory, int memoryThreshold) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private Stream _stream = new MemoryStream();
    private string? _contentKey;

    /// <summary>Octets spooled so far.</summary>
    public long Length => _stream.Length;

    /// <summary>Appends content.</summary>
    public void Append(ReadOnlySpan<byte> content)
    {
        if (_stream is MemoryStream memory && memory.Length + content.Length > memoryThreshold)
        {
            Directory.CreateDirectory(directory);
            var file = new FileStream(Path.Combine(directory, Path.GetRandomFileName()), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            memory.Position = 0;
            memory.CopyTo(file);
            memory.Dispose();
            _stream = file;
        }

        _stream.Write(content);
        _hash.AppendData(content);
    }

    /// <summary>SHA-256 (lower-case hex) of all content; call once appending is finished.</summary>
    public string ContentKey => _contentKey ??= Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>The content from its start. The spool keeps ownership: do not dispose the stream.</summary>
    public Stream Rewind()
    {
        _stream.Flush();
        _stream.Position = 0;
        return _stream;
    }

    /// <summary>The content from <paramref name="offset"/> (the body's, say). The spool keeps ownership.</summary>
    public Stream RewindTo(long offset)
    {
        var content = Rewind();
        content.Position = offset;
        return content;
    }

    /// <summary>The header section (read until the empty line; the whole message when it has none) and the body's offset.</summary>
    public async Task<(HeaderSection Headers, int BodyStart)> ReadHeaderSectionAsync()
    {
        var content = Rewind();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await content.ReadAsync(buffer.AsMemory(length));
                if (read == 0) break;
                var searchFrom = Math.Max(0, length - 3);
                length += read;
                var seen = buffer.AsSpan(0, length);
                if (seen.StartsWith("\r\n"u8) || seen[searchFrom..].IndexOf("\r\n\r\n"u8) >= 0) break;
            }

            var bytes = buffer.AsSpan(0, length);
            var bodyStart = HeaderSection.FindBody(bytes, out var headerLength);
            return (HeaderSection.Parse(bytes[..headerLength]), bodyStart);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><paramref name="headers"/>, then this spool's body (from <paramref name="bodyStart"/>), in a spool of its own.</summary>
    public async Task<MessageSpool> RewriteAsync(HeaderSection headers, int bodyStart)
    {
        var edited = new MessageSpool(directory, memoryThreshold);
        var header = new MemoryStream();
        headers.WriteTo(header);
        edited.Append(header.GetBuffer().AsSpan(0, (int)header.Length));
        var content = RewindTo(bodyStart);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await content.ReadAsync(chunk)) > 0) edited.Append(chunk.AsSpan(0, read));
        return edited;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _hash.Dispose();
    }
}
