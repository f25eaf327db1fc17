using System.Buffers;
using Akka.Actor;
using MailIngest.Actors.Sessions;

namespace MailIngest.Actors.Transport;

/// <summary>
/// Reads a connection's stream and tells the session actor, one chunk at a time: the next read starts only
/// after the actor calls <see cref="Resume"/>, which is the back-pressure that bounds per-session memory.
/// An idle connection holds no buffer: it waits with a zero-byte read (supported by NetworkStream and
/// SslStream) and rents a buffer only when data is there. Works on any <see cref="Stream"/>, so TLS or a
/// PROXY-header reader can wrap the socket without the session noticing.
/// </summary>
public sealed class ConnectionReader(Stream stream, IActorRef session, int chunkSize) : IDisposable
{
    private readonly SemaphoreSlim _resume = new(0, 1);
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Starts the read loop in the background.</summary>
    public void Start() => _ = Task.Run(ReadLoopAsync);

    /// <summary>The actor has copied the last chunk and wants more.</summary>
    public void Resume() => _resume.Release();

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                // Zero-byte read: completes when data is available, without a buffer pinned meanwhile.
                _ = await stream.ReadAsync(Memory<byte>.Empty, _stop.Token);
                var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
                try
                {
                    var count = await stream.ReadAsync(buffer.AsMemory(0, chunkSize), _stop.Token);
                    if (count == 0)
                    {
                        session.Tell(new SessionProtocol.PeerGone(null));
                        return;
                    }

                    session.Tell(new SessionProtocol.Received(buffer, count));
                    await _resume.WaitAsync(_stop.Token);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The session closed the connection itself.
        }
        catch (Exception error)
        {
            session.Tell(new SessionProtocol.PeerGone(error));
        }
    }

    /// <inheritdoc />
    public void Dispose() =>
        // Cancel only: the loop may still touch the token, and a cancelled source without timers holds nothing.
        _stop.Cancel();
}
