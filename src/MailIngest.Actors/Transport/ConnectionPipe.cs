using System.IO.Pipelines;

namespace MailIngest.Actors.Transport;

/// <summary>How a connection's bytes are read: one pipe over the socket's stream, and a new one over TLS after it.</summary>
public static class ConnectionPipe
{
    // Read buffers come from the pipe's pool only once data is there (zero-byte reads), so an idle session holds
    // none; 16 KiB keeps a 4 KiB message plus its commands in one segment.
    private static readonly StreamPipeReaderOptions Options =
        new(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true, useZeroByteReads: true);

    /// <summary>A reader over <paramref name="stream"/>; completing it leaves the stream open.</summary>
    public static PipeReader Reader(Stream stream) => PipeReader.Create(stream, Options);
}
