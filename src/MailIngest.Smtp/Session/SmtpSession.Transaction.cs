using MailIngest.Smtp.Parsing;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

// MAIL and RCPT: building the envelope (RFC 5321 §3.3, §4.1.1.2, §4.1.1.3).
public sealed partial class SmtpSession
{
    private const string Postmaster = "postmaster";

    private void Mail(ReadOnlySpan<char> argument)
    {
        if (_options.TlsAvailable && _options.TlsRequired && !Secure)
        {
            CommandReply(SmtpReplies.TlsRequired);
            return;
        }

        var reply = PathParser.Parse(argument, "FROM:", out var path) switch
        {
            PathParseStatus.Syntax => SmtpReplies.ArgumentSyntaxError,
            PathParseStatus.BadPath => SmtpReplies.BadSenderAddress,
            _ => null,
        };
        if (reply is not null)
        {
            CommandReply(reply);
            return;
        }

        if (!MailParameters.TryParse(path.Parameters, out var parameters))
        {
            CommandReply(SmtpReplies.BadParameter);
            return;
        }

        // The null reverse-path "<>" (bounces, RFC 5321 §4.5.5) is allowed.
        var sender = path.Address;
        if (!sender.IsEmpty && CheckAddress(sender, parameters.SmtpUtf8, SmtpReplies.BadSenderAddress) is { } bad)
        {
            CommandReply(bad);
            return;
        }

        // RFC 1870 §6.1: a declared size over the limit is refused at MAIL.
        if (parameters.Size > _options.MaxMessageBytes)
        {
            CommandReply(SmtpReplies.MessageTooLarge);
            return;
        }

        if (_rateLimit is not null && !_rateLimit.TryStartTransaction(_connection.RemoteAddress))
        {
            CommandReply(SmtpReplies.RateLimited);
            return;
        }

        _commandsWithoutMail = 0;
        _transaction = new Transaction(sender.ToString(), parameters.SmtpUtf8);
        _transactions++;
        _state = SessionState.MailGiven;
        Send(SmtpReplies.SenderOk);
        if (_options.AnnounceSenders) _effects.Add(new SenderAccepted(_transaction.ToEnvelope(_clientName, _esmtp, _connection, _tls)));
    }

    private void Rcpt(ReadOnlySpan<char> argument)
    {
        var transaction = _transaction!;
        var reply = PathParser.Parse(argument, "TO:", out var path) switch
        {
            PathParseStatus.Syntax => SmtpReplies.ArgumentSyntaxError,
            PathParseStatus.BadPath => SmtpReplies.BadRecipientAddress,

            // No RCPT extension (DSN, ...) is offered, so any parameter is unknown.
            _ when !path.Parameters.IsWhiteSpace() => SmtpReplies.BadParameter,
            _ => null,
        };
        if (reply is not null)
        {
            CommandReply(reply);
            return;
        }

        var address = path.Address;
        if (address.Equals(Postmaster, StringComparison.OrdinalIgnoreCase))
        {
            // RFC 5321 §4.5.1: "<Postmaster>" without a domain must be accepted.
            address = $"{address}@{_options.HostName}";
        }
        else if (CheckAddress(address, transaction.SmtpUtf8, SmtpReplies.BadRecipientAddress) is { } bad)
        {
            CommandReply(bad);
            return;
        }
        else if (!IsAcceptedDomain(MailboxSyntax.DomainOf(address)))
        {
            CommandReply(SmtpReplies.RelayDenied);
            return;
        }

        if (OutOfStorage)
        {
            CommandReply(SmtpReplies.InsufficientStorage);
            return;
        }

        // Small: a valid address has at most 254 octets, postmaster@ adds only our host name.
        Span<char> normalized = stackalloc char[address.Length];
        MailboxAddress.Normalize(address, normalized);
        if (!transaction.Contains(normalized))
        {
            if (transaction.RecipientCount >= _options.MaxRecipients)
            {
                CommandReply(SmtpReplies.TooManyRecipients);
                return;
            }

            var text = address.ToString();
            var mailbox = new MailboxAddress(text, normalized.SequenceEqual(text) ? text : normalized.ToString());
            if (_quota?.IsFull(mailbox.Normalized) == true)
            {
                CommandReply(SmtpReplies.MailboxFull);
                return;
            }

            if (_options.CheckRecipients)
            {
                _checking = mailbox;
                _mode = InputMode.AwaitingRecipientCheck;
                _effects.Add(new CheckRecipient(_transactions, transaction.ToEnvelope(_clientName, _esmtp, _connection, _tls), mailbox));
                return;
            }

            transaction.Add(mailbox);
        }

        // A duplicate is acknowledged but kept once, so the message is stored once per mailbox.
        RecipientAccepted();
    }

    /// <summary>
    /// The host's answer to <see cref="CheckRecipient"/>: null takes the recipient (250), a reply refuses it. A 4xx
    /// (a milter that is down, under its TempFail policy) is not the client's error; a 5xx counts as one.
    /// </summary>
    public IReadOnlyList<SmtpEffect> RecipientChecked(SmtpReply? refusal)
    {
        BeginEffects();
        if (_mode == InputMode.Closed)
        {
            // Closed while the milters were asked (drain, time limit): nobody to answer.
            return _effects;
        }

        if (_mode != InputMode.AwaitingRecipientCheck)
        {
            throw new InvalidOperationException("No recipient check is pending.");
        }

        _mode = InputMode.Command;
        var recipient = _checking!;
        _checking = null;
        if (refusal is null)
        {
            _transaction!.Add(recipient);
            RecipientAccepted();
        }
        else if (refusal.Code < 500)
        {
            Send(refusal);
        }
        else
        {
            CommandReply(refusal);
        }

        CloseIfShutdownPending();
        return _effects;
    }

    private void RecipientAccepted()
    {
        _state = SessionState.RecipientGiven;
        Send(SmtpReplies.RecipientOk);
    }

    /// <summary>Null when the address is acceptable, else the reply refusing it.</summary>
    private static SmtpReply? CheckAddress(ReadOnlySpan<char> address, bool smtpUtf8, SmtpReply badSyntax)
    {
        if (!MailboxSyntax.IsValid(address))
        {
            return badSyntax;
        }

        // Decision: RFC 6531 §3.5 553 5.6.7 (not 501 5.1.7) for UTF-8 without the SMTPUTF8 parameter.
        return MailboxSyntax.HasNonAscii(address) && !smtpUtf8 ? SmtpReplies.NonAsciiAddress : null;
    }

    private bool IsAcceptedDomain(ReadOnlySpan<char> domain)
    {
        var accepted = _options.AcceptedDomains;
        for (var i = 0; i < accepted.Count; i++)
        {
            if (domain.Equals(accepted[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return accepted.Count == 0;
    }
}
