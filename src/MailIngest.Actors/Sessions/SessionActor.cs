using System.Buffers;
using Akka.Actor;
using Akka.Event;
using MailIngest.Actors.Transport;
using MailIngest.Smtp.Session;
using Envelope = MailIngest.Smtp.Session.Envelope;

namespace MailIngest.Actors.Sessions;

/// <summary>
/// One SMTP connection. A thin shell: it feeds received bytes to the pure <see cref="SmtpSession"/>,
/// carries out the effects (write replies, spool content, deliver, close) and flushes the replies of one
/// read in one write (RFC 2920 batching).
/// </summary>
public sealed class SessionActor : ReceiveActor
{
    private const int ReadChunkSize = 16 * 1024;

    private readonly Stream _stream;
    private readonly SessionDependencies _deps;
    private readonly SmtpSession _core;
    private readonly ConnectionReader _reader;
    private readonly ArrayBufferWriter<byte> _replies = new(512);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly bool _accepting;
    // Rented while unconsumed input exists and returned when it is all consumed, so an idle session holds none.
    private byte[] _pending = [];
    private int _pendingLength;
    private MessageSpool? _spool;
    private bool _peerGone;
    private bool _readerStarted;
    private bool _readerWaiting;

    /// <summary>Props for a session on an accepted connection.</summary>
    public static Props Props(Stream stream, ConnectionInfo connection, SessionDependencies deps, bool accepting) =>
        Akka.Actor.Props.Create(() => new SessionActor(stream, connection, deps, accepting));

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public SessionActor(Stream stream, ConnectionInfo connection, SessionDependencies deps, bool accepting)
    {
        _stream = stream;
        _deps = deps;
        _accepting = accepting;
        _core = new SmtpSession(deps.Smtp, connection, deps.Status);
        _reader = new ConnectionReader(stream, Self, ReadChunkSize);

        ReceiveAsync<SessionProtocol.Greet>(_ => ContinueAsync(_core.Start(_accepting)));
        ReceiveAsync<SessionProtocol.Received>(OnReceivedAsync);
        ReceiveAsync<SessionProtocol.DeliveryFinished>(OnDeliveryFinishedAsync);
        ReceiveAsync<SessionProtocol.Drain>(_ => ContinueAsync(_core.Shutdown()));
        ReceiveAsync<ReceiveTimeout>(_ => ContinueAsync(_core.IdleTimeout()));
        Receive<SessionProtocol.PeerGone>(OnPeerGone);
        ReceiveAsync<SessionProtocol.ForceClose>(_ =>
        {
            _log.Info("Drain grace period over; closing session from {0}", connection.RemoteAddress);
            return ContinueAsync(_core.GracePeriodOver());
        });
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        _deps.Counters.SessionOpened();
        Self.Tell(SessionProtocol.Greet.Instance);
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _reader.Dispose();
        _stream.Dispose();
        _spool?.Dispose();
        ReturnPending();
        _deps.Counters.SessionClosed();
    }

    private Task OnReceivedAsync(SessionProtocol.Received received)
    {
        _deps.Counters.Received(received.Count);
        EnsurePendingCapacity(_pendingLength + received.Count);
        received.Buffer.AsSpan(0, received.Count).CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += received.Count;
        _readerWaiting = true;
        return ContinueAsync([]);
    }

    private Task OnDeliveryFinishedAsync(SessionProtocol.DeliveryFinished finished)
    {
        if (finished.Outcome is DeliveryOutcome.Accepted) _deps.Counters.MessageAccepted();
        else _deps.Counters.MessageDeferred();
        return ContinueAsync(_core.DeliveryCompleted(finished.Outcome));
    }

    private void OnPeerGone(SessionProtocol.PeerGone gone)
    {
        if (gone.Error is not null) _log.Debug("Connection read failed: {0}", gone.Error.Message);
        _peerGone = true;
        // A delivery in flight still completes (its copies may be durable); the session stops when it reports.
        if (!_core.AwaitingDelivery) Context.Stop(Self);
    }

    /// <summary>Applies effects, feeds whatever input is pending, flushes replies, then reads on or stops.</summary>
    private async Task ContinueAsync(IReadOnlyList<SmtpEffect> effects)
    {
        Apply(effects);
        Pump();
        if (!await FlushAsync() || _core.Closed || (_peerGone && !_core.AwaitingDelivery))
        {
            Context.Stop(Self);
            return;
        }

        if (_core.AwaitingDelivery)
        {
            Context.SetReceiveTimeout(null);
            return;
        }

        Context.SetReceiveTimeout(_core.Timeout);
        if (!_readerStarted)
        {
            _readerStarted = true;
            _reader.Start();
        }
        else if (_readerWaiting)
        {
            _reader.Resume();
        }

        _readerWaiting = false;
    }

    private void Pump()
    {
        var offset = 0;
        while (!_core.Closed && !_core.AwaitingDelivery && offset < _pendingLength)
        {
            var result = _core.Feed(_pending.AsMemory(offset, _pendingLength - offset));
            Apply(result.Effects);
            offset += result.Consumed;
            if (result.Consumed == 0) break;
        }

        _pending.AsSpan(offset, _pendingLength - offset).CopyTo(_pending);
        _pendingLength -= offset;
        if (_pendingLength == 0) ReturnPending();
    }

    private void EnsurePendingCapacity(int needed)
    {
        if (needed <= _pending.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, ReadChunkSize));
        _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
        ReturnPending();
        _pending = bigger;
    }

    private void ReturnPending()
    {
        if (_pending.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_pending);
        _pending = [];
    }

    /// <summary>Carries out effects at once: the session reuses them on its next call.</summary>
    private void Apply(IReadOnlyList<SmtpEffect> effects)
    {
        // By index: foreach over the interface would box an enumerator per call.
        for (var i = 0; i < effects.Count; i++)
        {
            switch (effects[i])
            {
                case SendReply send:
                    _replies.Write(send.Reply.ToWire());
                    if (send.Reply.Code >= 500) _deps.Counters.Rejection();
                    break;
                case BeginMessage:
                    _spool = new MessageSpool(_deps.SpoolDirectory, _deps.SpoolMemoryThreshold);
                    break;
                case AppendMessage append:
                    _spool!.Append(append.Content.Span);
                    break;
                case EndMessage end:
                    StartDelivery(end.Envelope, _spool!);
                    _spool = null;
                    break;
                case DiscardMessage:
                    _spool?.Dispose();
                    _spool = null;
                    break;
                case CloseConnection:
                    break;
            }
        }
    }

    private void StartDelivery(Envelope envelope, MessageSpool spool)
    {
        async Task<SessionProtocol.DeliveryFinished> DeliverAsync()
        {
            using (spool) return new SessionProtocol.DeliveryFinished(await _deps.Delivery.DeliverAsync(envelope, spool));
        }

        DeliverAsync().PipeTo(Self);
    }

    private async Task<bool> FlushAsync()
    {
        if (_replies.WrittenCount == 0) return true;
        try
        {
            using var deadline = new CancellationTokenSource(_core.Timeout);
            await _stream.WriteAsync(_replies.WrittenMemory, deadline.Token);
            await _stream.FlushAsync(deadline.Token);
            return true;
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
        {
            _log.Debug("Writing replies failed: {0}", error.Message);
            return false;
        }
        finally
        {
            _replies.ResetWrittenCount();
        }
    }
}
