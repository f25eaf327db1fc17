using System.IO.Pipelines;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using MailIngest.Actors.Delivery;
using MailIngest.Actors.Filters;
using MailIngest.Actors.Transport;
using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;
using Envelope = MailIngest.Smtp.Session.Envelope;

namespace MailIngest.Actors.Sessions;

/// <summary>
/// One SMTP connection. A thin shell between the pipe and the pure <see cref="SmtpSession"/>: once the
/// <see cref="ConnectionOpener"/> has the connection ready, it feeds what each read returns to the core and carries
/// out the effects (replies, those of one read in one write; spool content; ask the milters about a recipient; hand
/// the message to delivery; STARTTLS, after which the pipe reads the TLS stream; close), then reads on, waits for the
/// milters or delivery, or stops.
/// </summary>
public sealed class SessionActor : ReceiveActor, IWithTimers
{
    private readonly SessionDependencies _deps;
    private readonly ConnectionOpener _opener;
    private readonly Admission? _admission;
    private readonly ReadPump _reads;
    private readonly CoreFeeder _feeder;
    private readonly ReplyBatch _replies;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _self;
    // Cancelled when the session stops: work still running off its thread then ends without reporting back.
    private readonly CancellationTokenSource _closing = new();
    private Stream _stream;
    private ConnectionInfo _connection;
    // Until the connection is open this core only meets a drain or the time limit, which close it at once.
    private SmtpSession _core;
    private MessageSpool? _spool;
    // The milters' sessions for the transaction whose recipients they were last asked about.
    private FilterTransaction? _filtering;
    // The milters answered about a recipient at once; the core hears it once the effects in hand are applied.
    private RecipientAnswer? _answered;
    private bool _tlsRequested;
    private bool _peerGone;
    private bool _idleTimerArmed;
    private long _silentSince = Environment.TickCount64;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Props for a session on an accepted connection. A null <paramref name="admission"/> means the listener is behind
    /// a load balancer that speaks the PROXY protocol: the opener reads the header first, then asks the listener
    /// (<see cref="ListenerProtocol.Admit"/>) whether the client it names may be served.
    /// </summary>
    public static Props Props(Stream stream, ConnectionInfo connection, SessionDependencies deps, Admission? admission, bool implicitTls) =>
        Akka.Actor.Props.Create(() => new SessionActor(stream, connection, deps, admission, implicitTls));

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public SessionActor(Stream stream, ConnectionInfo connection, SessionDependencies deps, Admission? admission, bool implicitTls)
    {
        _stream = stream;
        _connection = connection;
        _deps = deps;
        _admission = admission;
        _self = Self;
        _opener = new ConnectionOpener(Context.Parent, implicitTls ? deps.Tls : null, deps.Smtp.CommandTimeout, _log);
        _reads = new ReadPump(ConnectionPipe.Reader(stream), _self, _closing.Token);
        _feeder = new CoreFeeder(Apply);
        _replies = new ReplyBatch(_log);
        _core = new SmtpSession(deps.Smtp, connection, deps.Status, deps.RateLimit, deps.Storage, deps.Quota);
        Opening();
    }

    // STATES

    /// <summary>The opener has the connection; a drain or the time limit now gets the core's 421 on the bare stream.</summary>
    private void Opening()
    {
        Receive<OpenedConnection>(OnOpened);
        Receive<Closed>(_ => Context.Stop(Self));
        ReceiveClose();
    }

    /// <summary>Greeted: reads, delivery outcomes and STARTTLS.</summary>
    private void Serving()
    {
        Receive<ReadResult>(OnRead);
        Receive<ReadPump.Failed>(failed =>
        {
            _log.Debug("Connection from {0} read failed: {1}", _connection.RemoteAddress, failed.Error.Message);
            _reads.Received();
            _peerGone = true;
            Continue([]);
        });
        Receive<DeliveryOutcome>(OnDelivered);
        Receive<RecipientAnswer>(answer =>
        {
            _silentSince = Environment.TickCount64;
            Continue(_core.RecipientChecked(answer.Refusal));
        });
        Receive<IdleCheck>(_ => OnIdleCheck());
        Receive<SecuredStream>(secured =>
        {
            _stream = secured.Stream;
            _reads.Use(ConnectionPipe.Reader(secured.Stream));
            Apply(_core.TlsStarted(secured.Details));
            Continue([]);
        });
        Receive<Closed>(_ => Context.Stop(Self));
        ReceiveClose();
    }

    /// <summary>The time limit and the listener's drain, in either state.</summary>
    private void ReceiveClose()
    {
        Receive<SessionLimit>(_ =>
        {
            _log.Info("Session from {0} reached the time limit of {1}; closing", _connection.RemoteAddress, _deps.MaxSessionDuration);
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
        Report(_opener.OpenAsync(_stream, _reads.Input, _connection, _admission, _self, _closing.Token));
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _closing.Cancel();
        _stream.Dispose();
        _reads.Close();
        _spool?.Dispose();
        if (_filtering is { } abandoned) _ = abandoned.DisposeAsync().AsTask();
        _deps.Counters.SessionClosed();
    }

    private void OnOpened(OpenedConnection opened)
    {
        _stream = opened.Stream;
        _reads.Use(opened.Input);
        _connection = opened.Connection;
        _core = new SmtpSession(_deps.Smtp, _connection, _deps.Status, _deps.RateLimit, _deps.Storage, _deps.Quota);
        if (opened.Tls is { } tls) Apply(_core.TlsStarted(tls));
        Become(Serving);
        Continue(_core.Start(opened.Admission));
    }

    private void OnRead(ReadResult result)
    {
        _reads.Received();
        _silentSince = Environment.TickCount64;
        var buffer = result.Buffer;
        var consumed = _feeder.Feed(_core, buffer);
        _deps.Counters.Received(buffer.Slice(0, consumed).Length);
        if (_core.AwaitingHost)
        {
            // What the client pipelined after the message is fed once delivery completes; examined = consumed
            // makes the next read hand it back at once instead of waiting for more bytes.
            _reads.Input.AdvanceTo(consumed);
        }
        else
        {
            _reads.Input.AdvanceTo(consumed, buffer.End);
            if (result.IsCompleted || result.IsCanceled) _peerGone = true;
        }

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
        if (!_core.AwaitingHost)
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

    /// <summary>Applies effects, writes the replies, then reads on, waits for delivery, or stops.</summary>
    private void Continue(IReadOnlyList<SmtpEffect> effects)
    {
        Apply(effects);
        var written = _replies.WriteAsync(_stream, _core.Timeout, _connection.RemoteAddress);
        if (written.IsCompletedSuccessfully)
        {
            Next(written.Result);
            return;
        }

        // A client that does not read its replies: wait off the mailbox's fast path (the batch bounds the wait).
        ActorTaskScheduler.RunTask(async () => Next(await written));
    }

    private void Next(bool written)
    {
        if (!written || _core.Closed || (_peerGone && !_core.AwaitingHost))
        {
            Context.Stop(Self);
            return;
        }

        if (_core.AwaitingHost || _reads.Reading) return;
        if (_tlsRequested)
        {
            // The 220 for STARTTLS is on the wire; the clear-text pipe is done (the core dropped what it held).
            _tlsRequested = false;
            _reads.Input.Complete();
            Report(TlsUpgrade.SecureAsync(_stream, _deps.Tls!, _deps.Smtp.CommandTimeout, _connection.RemoteAddress, _log, _closing.Token));
            return;
        }

        ArmIdleTimer();
        _reads.Read();
    }

    /// <summary>Tells the session what the opener or the STARTTLS handshake came to: the connection, or <see cref="Closed"/>.</summary>
    private void Report<T>(Task<T?> work) where T : class
    {
        if (work.IsCompletedSuccessfully)
        {
            _self.Tell((object?)work.Result ?? Closed.Instance);
            return;
        }

        var (self, log, closing, client) = (_self, _log, _closing.Token, _connection.RemoteAddress);
        work.ContinueWith(done =>
        {
            if (closing.IsCancellationRequested) return;
            if (done.Exception is { } error) log.Error(error.GetBaseException(), "Preparing the connection from {0} failed", client);
            self.Tell((object?)(done.IsCompletedSuccessfully ? done.Result : null) ?? Closed.Instance);
        }, TaskScheduler.Default);
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
                    _replies.Add(send.Reply);
                    _deps.Counters.ReplySent(send.Reply.Code);
                    break;
                case BeginMessage:
                    _spool = new MessageSpool(_deps.SpoolDirectory, _deps.SpoolMemoryThreshold);
                    break;
                case AppendMessage append:
                    _spool!.Append(append.Content.Span);
                    break;
                case CheckRecipient check:
                    CheckRecipient(check);
                    break;
                case SenderAccepted sender:
                    _deps.Authentication?.SenderAccepted(sender.Envelope);
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

        // The core's list is reused by its next call: only now may the core hear an answer that came at once.
        if (_answered is { } answered)
        {
            _answered = null;
            Apply(_core.RecipientChecked(answered.Refusal));
        }
    }

    /// <summary>
    /// Asks the milters about a recipient (SmtpOptions.CheckRecipients is set only when milters are configured). A
    /// new transaction number means the last one was abandoned: its milter sessions are ended first.
    /// </summary>
    private void CheckRecipient(CheckRecipient check)
    {
        if (_filtering?.Number != check.Transaction)
        {
            if (_filtering is { } abandoned) _ = abandoned.DisposeAsync().AsTask();
            _filtering = _deps.Filters!.Begin(check.Transaction);
        }

        // Answered at once when no milter needs the network for it (a pooled connection, RCPT not asked for).
        var answer = _filtering.CheckAsync(check.Envelope, check.Recipient);
        if (answer.IsCompletedSuccessfully) _answered = new RecipientAnswer(answer.Result);
        else answer.PipeTo(_self, success: refusal => new RecipientAnswer(refusal), failure: _ => new RecipientAnswer(SmtpReplies.LocalError));
    }

    private void StartDelivery(Envelope envelope, MessageSpool spool)
    {
        // Off the session's thread: parsing and storing a message of up to the size limit must not hold the
        // dispatcher thread that other sessions' replies need.
        var (delivery, filters, filtering) = (_deps.Delivery, _deps.Filters, _filtering);
        _filtering = null;
        Task.Run(async () =>
        {
            using (spool)
            {
                return filters is null
                    ? await delivery.DeliverAsync(envelope, spool)
                    : await filters.DeliverAsync(envelope, spool, delivery,
                        filtering ?? throw new InvalidOperationException("End of data without a recipient the milters were asked about."));
            }
        }).PipeTo(_self);
    }

    /// <summary>The milters' answer about a recipient: null takes it.</summary>
    private sealed record RecipientAnswer(SmtpReply? Refusal);

    /// <summary>The opener or the STARTTLS handshake closed the connection, and logged why.</summary>
    private sealed class Closed
    {
        public static readonly Closed Instance = new();
    }

    private sealed class IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed class SessionLimit
    {
        public static readonly SessionLimit Instance = new();
    }
}
