using MailIngest.Smtp.Data;
using MailIngest.Smtp.Parsing;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

/// <summary>
/// One SMTP server session as a pure state machine (RFC 5321). It owns no socket, no clock and no thread:
/// bytes, delivery outcomes and timeouts come in as inputs, replies and message bytes go out as effects.
/// Not thread-safe; the session actor drives it from one place. Every call returns the session's own effect
/// list, which the next call clears and refills (reusing its objects), so the steady state allocates nothing
/// per line: act on the effects before calling again.
/// </summary>
public sealed partial class SmtpSession
{
    private readonly SmtpOptions _options;
    private readonly ConnectionInfo _connection;
    private readonly ISmtpStatusSource _status;
    private readonly ISendingRateLimit? _rateLimit;
    private readonly IStorageSpace? _storage;
    private readonly IMailboxQuota? _quota;
    private readonly List<Range> _segments = [];
    private readonly EffectList _effects = new();
    private SessionState _state = SessionState.Connected;
    private InputMode _mode = InputMode.Command;
    private string _clientName = string.Empty;
    private bool _esmtp;
    private SmtpReply? _hello;
    private Transaction? _transaction;
    private int _transactions;
    private MailboxAddress? _checking;
    private DataReader? _data;
    private int _errors;
    private int _commandsWithoutMail;
    // The 421 to close with once the transaction in flight has its final reply (drain, or the time limit while a
    // delivery is pending); null when nothing is pending.
    private SmtpReply? _closeAfterTransaction;

    /// <summary>
    /// Creates a session for one accepted connection; <paramref name="rateLimit"/> null means unlimited,
    /// <paramref name="storage"/> null means the store always has room, <paramref name="quota"/> null means no mailbox is full.
    /// </summary>
    public SmtpSession(SmtpOptions options, ConnectionInfo connection, ISmtpStatusSource status, ISendingRateLimit? rateLimit = null,
        IStorageSpace? storage = null, IMailboxQuota? quota = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(status);
        _options = options;
        _connection = connection;
        _status = status;
        _rateLimit = rateLimit;
        _storage = storage;
        _quota = quota;
    }

    /// <summary>True while the host says the store has no room for more mail (452 4.3.1).</summary>
    private bool OutOfStorage => _storage?.HasRoom == false;

    /// <summary>The greeting (220), or, when the host will not serve the connection, 421 and close.</summary>
    public IReadOnlyList<SmtpEffect> Start(Admission admission = Admission.Accept)
    {
        BeginEffects();
        if (admission == Admission.Accept)
        {
            Send(SmtpReplies.Greeting(_options.HostName, _options.SoftwareVersion));
            return _effects;
        }

        // RFC 5321 §3.1: a server that will not serve may answer 421 instead of 220 and close.
        Close(admission switch
        {
            Admission.NodeFull => SmtpReplies.TooManyConnections(_options.HostName),
            Admission.ClientFull => SmtpReplies.TooManyConnectionsFromClient(_options.HostName),
            _ => SmtpReplies.ShuttingDown(_options.HostName),
        });
        return _effects;
    }

    /// <summary>
    /// Feeds received bytes. Returns how many were consumed and the effects in order. Bytes not consumed
    /// (an incomplete line, a possible partial end-of-data marker, or anything after end of data while a
    /// delivery is pending) must be fed again, with more bytes appended, on the next call.
    /// </summary>
    public FeedResult Feed(ReadOnlyMemory<byte> input)
    {
        BeginEffects();
        var offset = 0;

        // RFC 2920: every complete command in the input is answered, in order, before returning.
        while (offset < input.Length && _mode is not (InputMode.Closed or InputMode.AwaitingDelivery or InputMode.AwaitingRecipientCheck or InputMode.AwaitingTls))
        {
            var rest = input[offset..];
            var used = _mode switch
            {
                InputMode.Command => ReadCommand(rest.Span),
                InputMode.DiscardLine => DiscardLine(rest.Span),
                InputMode.Chunk => ReadChunk(rest),
                InputMode.SkipChunk => SkipChunk(rest),
                _ => ReadData(rest),
            };

            if (used == 0)
            {
                break;
            }

            offset += used;
        }

        // After STARTTLS, whatever the client pipelined in the clear is dropped, never executed (CVE-2011-0411).
        return new FeedResult(_mode is InputMode.Closed or InputMode.AwaitingTls ? input.Length : offset, _effects);
    }

    /// <summary>The outcome of the delivery asked for by <see cref="EndMessage"/>.</summary>
    public IReadOnlyList<SmtpEffect> DeliveryCompleted(DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        BeginEffects();
        if (_mode == InputMode.Closed)
        {
            // The connection is gone (timeout while storing); there is nobody to answer.
            return _effects;
        }

        if (_mode != InputMode.AwaitingDelivery)
        {
            throw new InvalidOperationException("No delivery is pending.");
        }

        // Rule 5: 250 only now that every copy is stored (or a filter discarded it); otherwise a 4xx so the client
        // retries: 452 4.3.1 when the store is full, a generic 451 for anything else; or a filter's own refusal.
        Send(outcome switch
        {
            DeliveryOutcome.Accepted accepted => SmtpReplies.Queued(accepted.QueueId),
            DeliveryOutcome.NoStorage => SmtpReplies.InsufficientStorage,
            DeliveryOutcome.Refused refused => refused.Reply,
            _ => SmtpReplies.LocalError,
        });
        ResetTransaction();
        CloseIfShutdownPending();
        return _effects;
    }

    /// <summary>The peer was silent for <see cref="Timeout"/>: 421 4.4.2 and close.</summary>
    public IReadOnlyList<SmtpEffect> IdleTimeout() => Abort(SmtpReplies.Timeout(_options.HostName));

    /// <summary>
    /// The drain grace period after <see cref="Shutdown"/> is over: 421 4.3.2 and close now (RFC 5321 §3.8),
    /// in every state. Content being read is discarded; a message awaiting delivery gets no 250 (the client
    /// retries it elsewhere) and its <see cref="DeliveryCompleted"/>, if it still comes, is ignored.
    /// </summary>
    public IReadOnlyList<SmtpEffect> GracePeriodOver() => Abort(SmtpReplies.ShuttingDown(_options.HostName));

    /// <summary>
    /// The session reached its maximum duration: 421 4.4.2 and close, in every state. Cuts off a client that
    /// keeps the connection alive by sending a byte now and then (slow-loris), which no idle timeout catches.
    /// A message already handed to delivery still gets its final reply first: it may be stored by now.
    /// </summary>
    public IReadOnlyList<SmtpEffect> SessionTimeLimit()
    {
        if (!AwaitingDelivery) return Abort(SmtpReplies.SessionTooLong(_options.HostName));
        BeginEffects();
        _closeAfterTransaction = SmtpReplies.SessionTooLong(_options.HostName);
        return _effects;
    }

    /// <summary>The node is draining: 421 4.3.2 and close, unless a transaction is in flight.</summary>
    public IReadOnlyList<SmtpEffect> Shutdown()
    {
        BeginEffects();
        if (_mode == InputMode.Closed)
        {
            return _effects;
        }

        if (InTransaction || AwaitingDelivery)
        {
            // Let the transaction finish; the 421 follows its final reply (see CloseIfShutdownPending).
            _closeAfterTransaction = SmtpReplies.ShuttingDown(_options.HostName);
            return _effects;
        }

        Close(SmtpReplies.ShuttingDown(_options.HostName));
        return _effects;
    }

    /// <summary>
    /// The RFC 5321 §4.5.3.2 timeout that applies in the current state: the DATA block timeout while
    /// reading content, otherwise the command timeout (also while awaiting delivery, when the host should
    /// not be timing the peer at all).
    /// </summary>
    public TimeSpan Timeout => IsReadingData ? _options.DataBlockTimeout : _options.CommandTimeout;

    /// <summary>True between <see cref="EndMessage"/> and <see cref="DeliveryCompleted"/>.</summary>
    public bool AwaitingDelivery => _mode == InputMode.AwaitingDelivery;

    /// <summary>
    /// True while the session waits for the host's answer (<see cref="DeliveryCompleted"/> or <see cref="RecipientChecked"/>):
    /// it reads nothing, and the peer's silence is not timed.
    /// </summary>
    public bool AwaitingHost => _mode is InputMode.AwaitingDelivery or InputMode.AwaitingRecipientCheck;

    /// <summary>True once MAIL FROM was accepted until the transaction ends.</summary>
    public bool InTransaction => _transaction is not null;

    /// <summary>True after the session emitted <see cref="CloseConnection"/>.</summary>
    public bool Closed => _mode == InputMode.Closed;

    private bool IsReadingData =>
        _mode is InputMode.Data or InputMode.DataTooLarge or InputMode.DataBareLineFeed or InputMode.Chunk or InputMode.SkipChunk;

    // The host holds a spool for this message: content is being read, or BDAT chunks arrived and more may follow.
    private bool SpoolOpen => _mode is InputMode.Data or InputMode.DataTooLarge or InputMode.DataBareLineFeed or InputMode.Chunk
                              || (_state == SessionState.Chunking && _mode != InputMode.AwaitingDelivery);

    private void BeginEffects() => _effects.Clear();

    /// <summary>Closes at once with <paramref name="reply"/>, dropping whatever is in flight.</summary>
    private EffectList Abort(SmtpReply reply)
    {
        BeginEffects();
        if (_mode == InputMode.Closed)
        {
            return _effects;
        }

        Close(reply);
        return _effects;
    }

    private void Send(SmtpReply reply) => _effects.AddReply(reply);

    private void Close(SmtpReply reply)
    {
        // The host spools the content; a message already handed to delivery is no longer the host's spool.
        if (SpoolOpen) _effects.Add(DiscardMessage.Instance);
        Send(reply);
        _effects.Add(CloseConnection.Instance);
        _mode = InputMode.Closed;
        _transaction = null;
        _checking = null;
        _data = null;
    }

    private void ResetTransaction()
    {
        // RSET or EHLO between BDAT chunks (RFC 3030 §3) abandons the chunks received so far.
        if (_state == SessionState.Chunking && _mode is InputMode.Command) _effects.Add(DiscardMessage.Instance);
        _transaction = null;
        _data = null;
        _mode = InputMode.Command;
        if (_state != SessionState.Connected)
        {
            _state = SessionState.Greeted;
        }
    }

    private void CloseIfShutdownPending()
    {
        if (_closeAfterTransaction is { } reply && _mode == InputMode.Command && !InTransaction)
        {
            Close(reply);
        }
    }
}
