using MailIngest.Smtp.Data;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

// DATA (RFC 5321 §4.1.1.4): the command, the content, and end of data.
public sealed partial class SmtpSession
{
    private void Data(ReadOnlySpan<char> argument)
    {
        // Decision: DATA without an accepted RCPT gets 503 5.5.1 from the state table (RFC 5321 §3.3 allows
        // 503 or 554); DATA takes no argument, so one is a syntax error.
        if (!argument.IsWhiteSpace())
        {
            CommandReply(SmtpReplies.ArgumentSyntaxError);
            return;
        }

        Send(SmtpReplies.StartMailInput);
        _effects.Add(BeginMessage.Instance);
        _data = new DataReader(_options.MaxMessageBytes);
        _mode = InputMode.Data;
    }

    private int ReadData(ReadOnlyMemory<byte> input)
    {
        var reader = _data!;
        _segments.Clear();
        var result = reader.Read(input.Span, _segments);
        foreach (var segment in _segments)
        {
            // Zero copy: the host copies the slice into its spool before the next Feed.
            _effects.AddContent(input[segment]);
        }

        _mode = reader.Status switch
        {
            DataStatus.TooLarge => InputMode.DataTooLarge,
            DataStatus.BareLineFeed => InputMode.DataBareLineFeed,
            _ => InputMode.Data,
        };

        if (result.Ended)
        {
            EndOfData(reader);
        }

        return result.Consumed;
    }

    private void EndOfData(DataReader reader)
    {
        switch (reader.Status)
        {
            case DataStatus.Ok when OutOfStorage:
                // Space ran out since RCPT: refuse before anything is stored, the client keeps the message.
                _effects.Add(DiscardMessage.Instance);
                Send(SmtpReplies.InsufficientStorage);
                break;
            case DataStatus.Ok:
                // Nothing more is read (pipelined commands wait) until DeliveryCompleted.
                _effects.Add(new EndMessage(_transaction!.ToEnvelope(_clientName, _esmtp, _connection, _tls)));
                _mode = InputMode.AwaitingDelivery;
                return;
            case DataStatus.TooLarge:
                _effects.Add(DiscardMessage.Instance);
                Send(SmtpReplies.MessageTooLarge);
                break;
            default:
                _effects.Add(DiscardMessage.Instance);
                Send(SmtpReplies.BareLineFeedInData);
                break;
        }

        ResetTransaction();
        CloseIfShutdownPending();
    }
}
