using MailIngest.Smtp.Parsing;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

// Command-line input and the commands that do not touch the mail transaction's content.
public sealed partial class SmtpSession
{
    // Lines under the default cap (1000, RFC 5321 §4.5.3.1.4 asks for 512) decode on the stack; only a host
    // that raises MaxCommandLineBytes past this pays an array per longer line.
    private const int StackLineChars = 1024;

    private int ReadCommand(ReadOnlySpan<byte> input)
    {
        switch (CommandLineReader.Read(input, _options.MaxCommandLineBytes, out var length))
        {
            case LineStatus.NeedMore:
                return 0;
            case LineStatus.TooLong:
                // Consume the line as it arrives instead of buffering it; answer once its LF is seen.
                _mode = InputMode.DiscardLine;
                return DiscardLine(input);
            case LineStatus.BareLineFeed:
                // Decision: a command line ended by LF alone is rejected, not accepted leniently.
                // RFC 5321 §2.3.8 requires CRLF, and treating LF as a line end is what smuggling abuses.
                CommandReply(SmtpReplies.BareLineFeedInCommand);
                return length;
            default:
                Execute(input[..(length - 2)]);
                return length;
        }
    }

    private int DiscardLine(ReadOnlySpan<byte> input)
    {
        var lf = input.IndexOf((byte)'\n');
        if (lf < 0)
        {
            return input.Length;
        }

        _mode = InputMode.Command;
        CommandReply(SmtpReplies.LineTooLong);
        return lf + 1;
    }

    private void Execute(ReadOnlySpan<byte> line)
    {
        // UTF-8 never decodes to more UTF-16 code units than it has octets.
        var chars = line.Length <= StackLineChars ? stackalloc char[StackLineChars] : new char[line.Length];
        if (CommandParser.TryParse(line, chars, out var command) != CommandParseStatus.Ok || command.Verb == SmtpVerb.Unknown)
        {
            CommandReply(SmtpReplies.SyntaxError);
            return;
        }

        if (command.Verb == SmtpVerb.Bdat)
        {
            // Before the state table: a refused BDAT still owns the octets that follow it.
            Bdat(command.Argument);
            CloseIfShutdownPending();
            return;
        }

        if (!SmtpStateTable.IsAllowed(_state, command.Verb))
        {
            CommandReply(SmtpReplies.BadSequence);
            return;
        }

        if (command.Verb is not (SmtpVerb.Mail or SmtpVerb.Rcpt or SmtpVerb.Data or SmtpVerb.Quit)
            && ++_commandsWithoutMail > _options.MaxCommandsWithoutMail)
        {
            Close(SmtpReplies.TooManyCommands(_options.HostName));
            return;
        }

        switch (command.Verb)
        {
            case SmtpVerb.Ehlo:
            case SmtpVerb.Helo:
                Hello(command);
                break;
            case SmtpVerb.Mail:
                Mail(command.Argument);
                break;
            case SmtpVerb.Rcpt:
                Rcpt(command.Argument);
                break;
            case SmtpVerb.Data:
                Data(command.Argument);
                break;
            case SmtpVerb.Rset:
                ResetTransaction();
                Send(SmtpReplies.Ok);
                break;
            case SmtpVerb.Noop:
                Send(SmtpReplies.Ok);
                break;
            case SmtpVerb.Vrfy:
                CommandReply(command.Argument.IsWhiteSpace() ? SmtpReplies.ArgumentSyntaxError : SmtpReplies.CannotVerify);
                break;
            case SmtpVerb.Help:
                Help(command.Argument);
                break;
            case SmtpVerb.Quit:
                Close(SmtpReplies.Closing(_options.HostName));
                break;
            case SmtpVerb.StartTls:
                StartTlsCommand(command.Argument);
                break;
        }

        CloseIfShutdownPending();
    }

    /// <summary>Sends a reply to a command and counts it when it is an error.</summary>
    private void CommandReply(SmtpReply reply)
    {
        Send(reply);

        // 452 4.5.3 is not the client's fault: RFC 5321 §4.5.3.1.8 expects it to send the remaining
        // recipients in a later transaction, and a pipelining client meets it once per extra recipient. Nor is
        // 452 4.3.1 (the node is short of storage, and every recipient of the transaction meets it) or 452 4.2.2 (a
        // full mailbox, which a list server meets once per such member).
        if (!reply.IsError || ReferenceEquals(reply, SmtpReplies.TooManyRecipients) || ReferenceEquals(reply, SmtpReplies.InsufficientStorage)
            || ReferenceEquals(reply, SmtpReplies.MailboxFull))
        {
            return;
        }

        if (++_errors >= _options.MaxErrors)
        {
            Close(SmtpReplies.TooManyErrors(_options.HostName));
        }
    }

    private void Hello(SmtpCommand command)
    {
        var argument = command.Argument.TrimStart(' ');
        var space = argument.IndexOf(' ');
        var domain = space < 0 ? argument : argument[..space];
        if (domain.IsEmpty)
        {
            CommandReply(SmtpReplies.DomainRequired);
            return;
        }

        // RFC 5321 §4.1.4: EHLO/HELO in the middle of a session resets it like RSET.
        ResetTransaction();
        _state = SessionState.Greeted;
        var esmtp = command.Verb == SmtpVerb.Ehlo;
        if (_hello is null || esmtp != _esmtp || !domain.SequenceEqual(_clientName))
        {
            // The name goes into every envelope and the reply echoes it; a repeated EHLO reuses both.
            _clientName = domain.ToString();
            _esmtp = esmtp;
            _hello = _esmtp
                ? SmtpReplies.EhloOk(_options.HostName, _clientName, _options.MaxMessageBytes, _options.TlsAvailable && !Secure)
                : SmtpReplies.HeloOk(_options.HostName, _clientName);
        }

        Send(_hello);
    }

    private void Help(ReadOnlySpan<char> argument)
    {
        // System status (RFC 5321 §4.2.2, 211) reveals cluster details, so only trusted networks get it.
        var status = argument.Trim().Equals("STATUS", StringComparison.OrdinalIgnoreCase);
        Send(status && _connection.IsTrusted ? SmtpReplies.SystemStatus(_status.StatusLines()) : SmtpReplies.Help);
    }
}
