using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

// STARTTLS (RFC 3207): the core answers and forgets; the host negotiates TLS and reports back.
public sealed partial class SmtpSession
{
    private TlsDetails? _tls;

    /// <summary>True once the connection runs over TLS (STARTTLS done, or an implicit-TLS listener).</summary>
    public bool Secure => _tls is not null;

    /// <summary>
    /// TLS is in place on the connection (after <see cref="StartTls"/>, or before <see cref="Start"/> on an
    /// implicit-TLS listener). RFC 3207 §4.2: everything learnt in the clear is forgotten and the client must send
    /// EHLO again.
    /// </summary>
    public IReadOnlyList<SmtpEffect> TlsStarted(TlsDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        BeginEffects();
        if (_mode == InputMode.Closed)
        {
            return _effects;
        }

        _tls = details;
        _state = SessionState.Connected;
        _mode = InputMode.Command;
        _transaction = null;
        _clientName = string.Empty;
        _esmtp = false;
        _hello = null;
        return _effects;
    }

    private void StartTlsCommand(ReadOnlySpan<char> argument)
    {
        if (!_options.TlsAvailable)
        {
            CommandReply(SmtpReplies.TlsNotAvailable);
            return;
        }

        if (Secure)
        {
            CommandReply(SmtpReplies.BadSequence);
            return;
        }

        if (!argument.IsWhiteSpace())
        {
            CommandReply(SmtpReplies.ArgumentSyntaxError);
            return;
        }

        Send(SmtpReplies.ReadyForTls);
        _effects.Add(StartTls.Instance);
        _mode = InputMode.AwaitingTls;
    }
}
