namespace MailIngest.Smtp.Session;

/// <summary>
/// One SMTP server session as a pure state machine (RFC 5321). It owns no socket, no clock and no thread:
/// bytes, delivery outcomes and timeouts come in as inputs, replies and message bytes go out as effects.
/// Not thread-safe; the session actor drives it from one place.
/// </summary>
public sealed class SmtpSession
{
    /// <summary>Creates a session for one accepted connection.</summary>
    public SmtpSession(SmtpOptions options, ConnectionInfo connection, ISmtpStatusSource status)
    {
        throw new NotImplementedException();
    }

    /// <summary>The greeting (220), or 421 4.3.2 when <paramref name="accepting"/> is false (drain).</summary>
    public IReadOnlyList<SmtpEffect> Start(bool accepting = true) => throw new NotImplementedException();

    /// <summary>
    /// Feeds received bytes. Returns how many were consumed and the effects in order. Bytes not consumed
    /// (an incomplete line, a possible partial end-of-data marker, or anything after end of data while a
    /// delivery is pending) must be fed again, with more bytes appended, on the next call.
    /// </summary>
    public FeedResult Feed(ReadOnlyMemory<byte> input) => throw new NotImplementedException();

    /// <summary>The outcome of the delivery asked for by <see cref="EndMessage"/>.</summary>
    public IReadOnlyList<SmtpEffect> DeliveryCompleted(DeliveryOutcome outcome) => throw new NotImplementedException();

    /// <summary>The peer was silent for <see cref="Timeout"/>: 421 4.4.2 and close.</summary>
    public IReadOnlyList<SmtpEffect> IdleTimeout() => throw new NotImplementedException();

    /// <summary>The node is draining: 421 4.3.2 and close, unless a transaction is in flight.</summary>
    public IReadOnlyList<SmtpEffect> Shutdown() => throw new NotImplementedException();

    /// <summary>The RFC 5321 §4.5.3.2 timeout that applies in the current state.</summary>
    public TimeSpan Timeout => throw new NotImplementedException();

    /// <summary>True between <see cref="EndMessage"/> and <see cref="DeliveryCompleted"/>.</summary>
    public bool AwaitingDelivery => throw new NotImplementedException();

    /// <summary>True once MAIL FROM was accepted until the transaction ends.</summary>
    public bool InTransaction => throw new NotImplementedException();

    /// <summary>True after the session emitted <see cref="CloseConnection"/>.</summary>
    public bool Closed => throw new NotImplementedException();
}
