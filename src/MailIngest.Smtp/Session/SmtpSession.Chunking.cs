using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

// BDAT (RFC 3030 CHUNKING): the message arrives as counted chunks, never parsed, so there is no end-of-data marker
// to smuggle. The octets of every chunk whose size could be read are consumed, even when the command is refused:
// the client sends them right after the command, and reading them as commands would let content pose as commands.
public sealed partial class SmtpSession
{
    private long _chunkRemaining;
    private bool _chunkLast;
    private long _chunkOctets;
    private long _messageOctets;
    private bool _previousWasCr;
    private bool _bareLineFeed;
    private SmtpReply? _chunkRefusal;

    private void Bdat(ReadOnlySpan<char> argument)
    {
        if (!TryParseBdat(argument, out var size, out var last))
        {
            Close(SmtpReplies.BdatSyntaxError);
            return;
        }

        var received = _state == SessionState.Chunking ? _messageOctets : 0;
        var refusal = !SmtpStateTable.IsAllowed(_state, Parsing.SmtpVerb.Bdat) ? SmtpReplies.BadSequence
            : received + size > _options.MaxMessageBytes ? SmtpReplies.MessageTooLarge
            : null;
        if (refusal is not null)
        {
            _chunkRefusal = refusal;
            _chunkRemaining = size;
            _mode = InputMode.SkipChunk;
            if (size == 0) EndSkippedChunk();
            return;
        }

        if (_state != SessionState.Chunking)
        {
            _state = SessionState.Chunking;
            _messageOctets = 0;
            _previousWasCr = false;
            _bareLineFeed = false;
            _effects.Add(BeginMessage.Instance);
        }

        _chunkRemaining = size;
        _chunkOctets = size;
        _chunkLast = last;
        _mode = InputMode.Chunk;
        if (size == 0) EndChunk();
    }

    private int ReadChunk(ReadOnlyMemory<byte> input)
    {
        var take = (int)Math.Min(_chunkRemaining, input.Length);
        var content = input[..take];
        foreach (var b in content.Span)
        {
            // Same rule as DATA: a line feed without its carriage return is refused (bare LF, RFC 5321 §2.3.8).
            _bareLineFeed |= b == '\n' && !_previousWasCr;
            _previousWasCr = b == '\r';
        }

        _effects.AddContent(content);
        _chunkRemaining -= take;
        _messageOctets += take;
        if (_chunkRemaining == 0) EndChunk();
        return take;
    }

    private int SkipChunk(ReadOnlyMemory<byte> input)
    {
        var take = (int)Math.Min(_chunkRemaining, input.Length);
        _chunkRemaining -= take;
        if (_chunkRemaining == 0) EndSkippedChunk();
        return take;
    }

    private void EndChunk()
    {
        _mode = InputMode.Command;
        if (!_chunkLast)
        {
            Send(SmtpReplies.ChunkReceived(_chunkOctets));
            return;
        }

        var refusal = _bareLineFeed ? SmtpReplies.BareLineFeedInData : OutOfStorage ? SmtpReplies.InsufficientStorage : null;
        if (refusal is not null)
        {
            _effects.Add(DiscardMessage.Instance);
            _state = SessionState.Greeted;
            Send(refusal);
            ResetTransaction();
            return;
        }

        _effects.Add(new EndMessage(_transaction!.ToEnvelope(_clientName, _esmtp, _connection, _tls)));
        _mode = InputMode.AwaitingDelivery;
    }

    private void EndSkippedChunk()
    {
        _mode = InputMode.Command;
        var refusal = _chunkRefusal!;
        _chunkRefusal = null;
        if (ReferenceEquals(refusal, SmtpReplies.MessageTooLarge))
        {
            // The message can no longer fit: it is dropped, and later chunks of it get 503 (no transaction).
            if (_state == SessionState.Chunking) _effects.Add(DiscardMessage.Instance);
            _state = SessionState.Greeted;
            ResetTransaction();
        }

        CommandReply(refusal);
    }

    /// <summary>chunk-size [SP "LAST"] (RFC 3030 §3): digits only, within a long.</summary>
    private static bool TryParseBdat(ReadOnlySpan<char> argument, out long size, out bool last)
    {
        size = 0;
        last = false;
        var space = argument.IndexOf(' ');
        var digits = space < 0 ? argument : argument[..space];
        if (digits.IsEmpty || digits.Length > 18) return false;
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
            size = size * 10 + (c - '0');
        }

        if (space < 0) return true;
        last = argument[(space + 1)..].Equals("LAST", StringComparison.OrdinalIgnoreCase);
        return last;
    }
}
