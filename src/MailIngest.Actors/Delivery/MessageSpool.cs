using System.Security.Cryptography;

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

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _hash.Dispose();
    }
}
