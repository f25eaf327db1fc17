using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using MailIngest.Actors.Delivery;
using MailIngest.Actors.Transport;
using MailIngest.Smtp.Session;
using Envelope = MailIngest.Smtp.Session.Envelope;

namespace MailIngest.Actors.Sessions;

/// <summary>
/// One SMTP connection. A thin shell: it reads the connection through a <see cref="PipeReader"/>, feeds the
/// bytes to the pure <see cref="SmtpSession"/>, carries out the effects (write replies, spool content, hand the
/// message to delivery, negotiate TLS, close) and flushes the replies of one read in one write (RFC 2920
/// batching). TLS slots in under the pipe: after the handshake the pipe reads the <see cref="SslStream"/>.
/// </summary>
public sealed class SessionActor : ReceiveActor, IWithTimers
{
    // Read buffers come from the pipe's pool only once data is there (zero-byte reads), so an idle session holds
    // none; 16 KiB keeps a 4 KiB message plus its commands in one segment.
    private static readonly StreamPipeReaderOptions PipeOptions =
        new(bufferSize: 16 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true, useZeroByteReads: true);

    // A command line is at most 1000 octets and DATA leaves at most two unconsumed, so a piece joined across pipe
    // segments needs only this much after the unconsumed tail to make progress.
    private const int JoinLookahead = 4 * 1024;

    private Stream _stream;
    private PipeReader _input;
    private readonly SessionDependencies _deps;
    private SmtpSession _core;
    private ConnectionInfo _connection;
    private readonly ArrayBufferWriter<byte> _replies = new(512);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // Null until a PROXY protocol header named the client and the listener admitted it.
    private Admission? _admission;
    private readonly bool _implicitTls;
    private bool _tlsRequested;
    private bool _greeted;
    private readonly IActorRef _self;
    private MessageSpool? _spool;
    private bool _reading;
    private bool _peerGone;
    private bool _idleTimerArmed;
    private long _silentSince = Environment.TickCount64;
    private volatile bool _stopped;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Props for a session on an accepted connection. A null <paramref name="admission"/> means the listener is behind
    /// a load balancer that speaks the PROXY protocol: the session reads the header first, then asks its parent
    /// (<see cref="ListenerProtocol.Admit"/>) whether the client it names may be served.
    /// </summary>
    public static Props Props(Stream stream, ConnectionInfo connection, SessionDependencies deps, Admission? admission, bool implicitTls) =>
        Akka.Actor.Props.Create(() => new SessionActor(stream, connection, deps, admission, implicitTls));

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public SessionActor(Stream stream, ConnectionInfo connection, SessionDependencies deps, Admission? admission, bool implicitTls)
    {
        _connection = connection;
        _stream = stream;
        _input = PipeReader.Create(stream, PipeOptions);
        _deps = deps;
        _admission = admission;
        _implicitTls = implicitTls;
        _self = Self;
        _core = new SmtpSession(deps.Smtp, connection, deps.Status, deps.RateLimit);

        Receive<GreetNow>(_ => Greet());
        Receive<TlsReady>(ready =>
        {
            _stream = ready.Stream;
            _input = PipeReader.Create(ready.Stream, PipeOptions);
            Apply(_core.TlsStarted(ready.Details));
            if (_greeted) Continue([]);
            else Greet();
        });
        Receive<TlsFailed>(failed =>
        {
            _log.Info("TLS negotiation with {0} failed: {1}", _connection.RemoteAddress, failed.Reason);
            Context.Stop(Self);
        });
        Receive<ReadResult>(result =>
        {
            if (_admission is null) OnProxyHeader(result);
            else OnRead(result);
        });
        Receive<ListenerProtocol.Admitted>(OnAdmitted);
        Receive<ReadFailed>(failed =>
        {
            _log.Debug("Connection from {0} read failed: {1}", _connection.RemoteAddress, failed.Error.Message);
            OnPeerGone();
        });
        Receive<DeliveryOutcome>(OnDelivered);
        Receive<IdleCheck>(_ => OnIdleCheck());
        Receive<SessionLimit>(_ =>
        {
            _log.Info("Session from {0} reached the time limit of {1}; closing", _connection.RemoteAddress, deps.MaxSessionDuration);
            Continue(_core.SessionTimeLimit());
        });
        Receive<SessionProtocol.Drain>(_ => Continue(_core.Shutdown()));
        Receive<SessionProtocol.ForceClose>(_ =>
        {
            // The transaction in flight did not finish within the grace period; the client gets no 250 for it and
            // will retry elsewhere.
            _log.Info("Drain grace period over; closing session from {0}", _connection.RemoteAddress);
            Continue(_core.GracePeriodOver());
        });
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        _deps.Counters.SessionOpened();
        Timers.StartSingleTimer(SessionLimit.Instance, SessionLimit.Instance, _deps.MaxSessionDuration);
        if (_admission is null) Next(written: true);
        else Open();
    }

    /// <summary>The client is known and admitted: TLS first on an implicit-TLS listener, then the greeting.</summary>
    private void Open()
    {
        if (_implicitTls) StartTlsHandshake();
        else _self.Tell(GreetNow.Instance);
    }

    private void OnProxyHeader(ReadResult result)
    {
        _reading = false;
        var buffer = result.Buffer;
        var length = (int)Math.Min(buffer.Length, ProxyHeader.MaxVersion2Length);
        var head = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            buffer.Slice(0, length).CopyTo(head);
            switch (ProxyHeader.TryParse(head.AsSpan(0, length), out var headerLength, out var source))
            {
                case ProxyParseStatus.Done:
                    _input.AdvanceTo(buffer.GetPosition(headerLength));
                    if (source is not null) _connection = _connection with { RemoteAddress = source };
                    Context.Parent.Tell(new ListenerProtocol.Admit(_connection.RemoteAddress));
                    return;
                case ProxyParseStatus.NeedMore when !result.IsCompleted:
                    _input.AdvanceTo(buffer.Start, buffer.End);
                    Next(written: true);
                    return;
                default:
                    _log.Info("Closing connection from {0}: no valid PROXY protocol header", _connection.RemoteAddress);
                    _input.AdvanceTo(buffer.End);
                    Context.Stop(Self);
                    return;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    private void OnAdmitted(ListenerProtocol.Admitted admitted)
    {
        _connection = _connection with { IsTrusted = admitted.Trusted };
        _core = new SmtpSession(_deps.Smtp, _connection, _deps.Status, _deps.RateLimit);
        _admission = admitted.Admission;
        Open();
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _stopped = true;
        _stream.Dispose();
        // A read still in flight owns the pipe's buffer until it fails on the disposed stream; completing the reader
        // now would return that buffer to the pool under it. Left uncompleted, the reader's buffers go to the GC.
        if (!_reading) _input.Complete();
        _spool?.Dispose();
        _deps.Counters.SessionClosed();
    }

    private void OnRead(ReadResult result)
    {
        _reading = false;
        _silentSince = Environment.TickCount64;
        var buffer = result.Buffer;
        var consumed = Feed(buffer);
        _deps.Counters.Received(buffer.Slice(0, consumed).Length);
        if (_core.AwaitingDelivery)
        {
            // What the client pipelined after the message is fed once delivery completes; examined = consumed
            // makes the next read hand it back at once instead of waiting for more bytes.
            _input.AdvanceTo(consumed);
        }
        else
        {
            _input.AdvanceTo(consumed, buffer.End);
            if (result.IsCompleted || result.IsCanceled) _peerGone = true;
        }

        Continue([]);
    }

    private void OnPeerGone()
    {
        _reading = false;
        _peerGone = true;
        Continue([]);
    }

    private void OnDelivered(DeliveryOutcome outcome)
    {
        if (outcome is DeliveryOutcome.Accepted) _deps.Counters.MessageAccepted();
        else _deps.Counters.MessageDeferred();
        _silentSince = Environment.TickCount64;
        Continue(_core.DeliveryCompleted(outcome));
    }

    private void OnIdleCheck()
    {
        _idleTimerArmed = false;
        if (_core.Closed) return;
        if (_admission is null)
        {
            // No PROXY header in time: nothing was said to this peer, so nothing is answered.
            Context.Stop(Self);
            return;
        }

        if (!_core.AwaitingDelivery)
        {
            var silent = TimeSpan.FromMilliseconds(Environment.TickCount64 - _silentSince);
            if (silent >= _core.Timeout)
            {
                Continue(_core.IdleTimeout());
                return;
            }
        }

        ArmIdleTimer();
    }

    /// <summary>Feeds the buffer to the core until it stops consuming; returns how far it got.</summary>
    private SequencePosition Feed(ReadOnlySequence<byte> buffer)
    {
        var rest = buffer;
        while (!rest.IsEmpty && !_core.Closed && !_core.AwaitingDelivery)
        {
            var used = FeedPiece(rest.First);
            if (used == rest.First.Length)
            {
                rest = rest.Slice(used);
                continue;
            }

            if (rest.IsSingleSegment)
            {
                rest = rest.Slice(used);
                break;
            }

            // A line or a possible end-of-data marker runs across a segment boundary: join a bounded piece.
            rest = rest.Slice(used);
            var joined = FeedJoined(rest);
            if (joined == 0) break;
            rest = rest.Slice(joined);
        }

        return rest.Start;
    }

    private int FeedJoined(ReadOnlySequence<byte> rest)
    {
        var length = (int)Math.Min(rest.Length, rest.First.Length + JoinLookahead);
        var scratch = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            rest.Slice(0, length).CopyTo(scratch);
            return FeedPiece(scratch.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private int FeedPiece(ReadOnlyMemory<byte> piece)
    {
        var result = _core.Feed(piece);
        Apply(result.Effects);
        return result.Consumed;
    }

    /// <summary>Applies effects, flushes replies, then reads on, waits for delivery, or stops.</summary>
    private void Continue(IReadOnlyList<SmtpEffect> effects)
    {
        Apply(effects);
        if (_replies.WrittenCount == 0)
        {
            Next(written: true);
            return;
        }

        var write = _stream.WriteAsync(_replies.WrittenMemory);
        if (write.IsCompletedSuccessfully)
        {
            _replies.ResetWrittenCount();
            Next(written: true);
            return;
        }

        // The socket's send buffer is full (a client that does not read its replies): wait off the mailbox's
        // fast path, bounded by the command timeout so such a client cannot hold the session forever.
        ActorTaskScheduler.RunTask(async () =>
        {
            var written = await CompleteWriteAsync(write.AsTask());
            _replies.ResetWrittenCount();
            Next(written);
        });
    }

    private async Task<bool> CompleteWriteAsync(Task write)
    {
        try
        {
            await write.WaitAsync(_core.Timeout);
            return true;
        }
        catch (Exception error) when (error is IOException or TimeoutException or ObjectDisposedException)
        {
            _log.Debug("Writing replies to {0} failed: {1}", _connection.RemoteAddress, error.Message);
            return false;
        }
    }

    private void Next(bool written)
    {
        if (!written || _core.Closed || (_peerGone && !_core.AwaitingDelivery))
        {
            Context.Stop(Self);
            return;
        }

        if (_core.AwaitingDelivery || _reading) return;
        if (_tlsRequested)
        {
            // The 220 for STARTTLS is on the wire; the clear-text pipe is done (the core dropped what it held).
            _tlsRequested = false;
            _input.Complete();
            StartTlsHandshake();
            return;
        }

        ArmIdleTimer();
        _reading = true;
        var read = _input.ReadAsync();
        if (read.IsCompletedSuccessfully)
        {
            _self.Tell(read.Result);
            return;
        }

        read.AsTask().ContinueWith(ReportRead, this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static void ReportRead(Task<ReadResult> read, object? state)
    {
        var session = (SessionActor)state!;
        // After stop the pipe is completed and the stream gone: a failed read then is expected, not news.
        if (session._stopped) return;
        session._self.Tell(read.IsCompletedSuccessfully
            ? read.Result
            : new ReadFailed(read.Exception?.GetBaseException() ?? new OperationCanceledException()));
    }

    private void ArmIdleTimer()
    {
        if (_idleTimerArmed) return;
        _idleTimerArmed = true;
        // One timer per timeout period, not one per read: activity only moves _silentSince.
        var due = _core.Timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - _silentSince);
        Timers.StartSingleTimer(IdleCheck.Instance, IdleCheck.Instance, due > TimeSpan.Zero ? due : TimeSpan.Zero);
    }

    private void Apply(IReadOnlyList<SmtpEffect> effects)
    {
        // By index: the core's list is reused, and foreach over the interface would allocate an enumerator per call.
        for (var i = 0; i < effects.Count; i++)
        {
            switch (effects[i])
            {
                case SendReply send:
                    _replies.Write(send.Reply.ToWire());
                    _deps.Counters.ReplySent(send.Reply.Code);
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
                case StartTls:
                    _tlsRequested = true;
                    break;
                case CloseConnection:
                    break;
            }
        }
    }

    private void StartDelivery(Envelope envelope, MessageSpool spool)
    {
        // Off the session's thread: parsing and storing a message of up to the size limit must not hold the
        // dispatcher thread that other sessions' replies need.
        var delivery = _deps.Delivery;
        Task.Run(async () =>
        {
            using (spool) return await delivery.DeliverAsync(envelope, spool);
        }).PipeTo(_self);
    }

    private void Greet()
    {
        _greeted = true;
        Continue(_core.Start(_admission!.Value));
    }

    /// <summary>TLS handshake off the actor's thread, bounded by the command timeout; the outcome comes back as a message.</summary>
    private void StartTlsHandshake()
    {
        var options = _deps.Tls!.ServerOptions();
        var clear = _stream;
        var timeout = _deps.Smtp.CommandTimeout;
        Task.Run(async () =>
        {
            var ssl = new SslStream(clear, leaveInnerStreamOpen: false);
            try
            {
                using var deadline = new CancellationTokenSource(timeout);
                await ssl.AuthenticateAsServerAsync(options, deadline.Token);
                return (object)new TlsReady(ssl, new TlsDetails(ProtocolName(ssl.SslProtocol), ssl.NegotiatedCipherSuite.ToString()));
            }
            catch (Exception error) when (error is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                await ssl.DisposeAsync();
                return new TlsFailed(error.Message);
            }
        }).PipeTo(_self);
    }

    private static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };

    private sealed record TlsReady(SslStream Stream, TlsDetails Details);

    private sealed record TlsFailed(string Reason);

    private sealed class GreetNow
    {
        public static readonly GreetNow Instance = new();
    }

    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed class SessionLimit
    {
        public static readonly SessionLimit Instance = new();
    }

    private sealed record ReadFailed(Exception Error);
}
