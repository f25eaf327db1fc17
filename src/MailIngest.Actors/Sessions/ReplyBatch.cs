using System.Buffers;
using System.Net;
using Akka.Event;
using MailIngest.Smtp.Replies;

namespace MailIngest.Actors.Sessions;

/// <summary>
/// The replies to one read, sent in one write (RFC 2920: a pipelining client gets its answers together). Not
/// thread-safe: the session adds and writes from its own thread and starts no other work until a write is done.
/// </summary>
/// <param name="log">The session's log.</param>
public sealed class ReplyBatch(ILoggingAdapter log)
{
    private readonly ArrayBufferWriter<byte> _pending = new(512);

    /// <summary>Queues a reply for the next <see cref="WriteAsync"/>.</summary>
    public void Add(SmtpReply reply) => _pending.Write(reply.ToWire());

    /// <summary>
    /// Writes what was added, if anything. True once it is on its way; false, logged, when the write failed or the
    /// client did not make room for it within <paramref name="timeout"/>.
    /// </summary>
    public ValueTask<bool> WriteAsync(Stream stream, TimeSpan timeout, IPAddress client)
    {
        if (_pending.WrittenCount == 0) return new(true);
        var write = stream.WriteAsync(_pending.WrittenMemory);
        if (!write.IsCompletedSuccessfully) return new(CompleteAsync(write.AsTask(), timeout, client));
        _pending.ResetWrittenCount();
        return new(true);
    }

    // The socket's send buffer is full (a client that does not read its replies): bounded so that such a client
    // cannot hold the session forever.
    private async Task<bool> CompleteAsync(Task write, TimeSpan timeout, IPAddress client)
    {
        try
        {
            await write.WaitAsync(timeout);
            return true;
        }
        catch (Exception error) when (error is IOException or TimeoutException or ObjectDisposedException)
        {
            log.Debug("Writing replies to {0} failed: {1}", client, error.Message);
            return false;
        }
        finally
        {
            _pending.ResetWrittenCount();
        }
    }
}
