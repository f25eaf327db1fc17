using System.IO.Pipelines;
using Akka.Actor;

namespace MailIngest.Actors.Sessions;

/// <summary>
/// Reads the connection for the session, one read at a time, and tells it each outcome as a message (the pipe's
/// <see cref="ReadResult"/>, or <see cref="Failed"/>), so the session's state is only touched on its own thread.
/// Once the session stops (<c>closing</c>), a read that still ends reports nothing.
/// </summary>
/// <param name="input">The pipe over the accepted socket, which the opener reads first.</param>
/// <param name="session">Where outcomes go.</param>
/// <param name="closing">Cancelled when the session stops.</param>
public sealed class ReadPump(PipeReader input, IActorRef session, CancellationToken closing)
{
    private readonly IActorRef _session = session;
    private readonly CancellationToken _closing = closing;

    /// <summary>The pipe being read.</summary>
    public PipeReader Input { get; private set; } = input;

    /// <summary>A read is in flight and owns the pipe's buffer; at first the opener's, of a PROXY header.</summary>
    public bool Reading { get; private set; } = true;

    /// <summary>The connection is open: read <paramref name="input"/> from now on (the opener's pipe, or one over TLS).</summary>
    public void Use(PipeReader input)
    {
        Input = input;
        Reading = false;
    }

    /// <summary>The session received the outcome of the read.</summary>
    public void Received() => Reading = false;

    /// <summary>Starts the next read.</summary>
    public void Read()
    {
        Reading = true;
        var read = Input.ReadAsync();
        if (read.IsCompletedSuccessfully)
        {
            _session.Tell(read.Result);
            return;
        }

        read.AsTask().ContinueWith(Report, this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Done with the pipe: now, or, while a read is in flight, never (the read owns the buffer, the GC takes it).</summary>
    public void Close()
    {
        if (!Reading) Input.Complete();
    }

    private static void Report(Task<ReadResult> read, object? state)
    {
        var pump = (ReadPump)state!;
        // After stop the pipe is completed and the stream gone: a failed read then is expected, not news.
        if (pump._closing.IsCancellationRequested) return;
        pump._session.Tell(read.IsCompletedSuccessfully
            ? read.Result
            : new Failed(read.Exception?.GetBaseException() ?? new OperationCanceledException()));
    }

    /// <summary>The read failed: the peer is gone.</summary>
    public sealed record Failed(Exception Error);
}
