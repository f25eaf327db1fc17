using System.Buffers;
using System.Diagnostics;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Milter;
using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Filters;

/// <summary>
/// One milter's session for one SMTP transaction, as Postfix's smtpd holds it: begun at the transaction's first
/// recipient (negotiation, connect, HELO, MAIL), asked at each RCPT, finished at end of data (DATA, the header fields,
/// end of headers, the body in chunks, end of message) or abandoned with the transaction. A failure never escapes: it
/// is in the <see cref="Transcript"/>, and the milter's failure policy has decided.
/// </summary>
public sealed class MilterConversation
{
    private static readonly KeyValuePair<string, string>[] NoMacros = [];
    private readonly MilterClient _client;
    private readonly string _queueId;
    private readonly string _hostName;
    private readonly KeyValuePair<string, object?> _nameTag;
    private long _started;
    private MilterChannel? _channel;
    private MilterReply? _negotiated;

    // Nothing more is sent: the milter decided for the whole message, or failed.
    private bool _decided;

    internal MilterConversation(MilterClient client, string queueId, string hostName)
    {
        _client = client;
        _queueId = queueId;
        _hostName = hostName;
        _nameTag = new KeyValuePair<string, object?>("milter", client.Options.Name);
        Transcript = new MilterTranscript(client.Options.Name, client.Options.DefaultAction);
    }

    /// <summary>What the milter said and decided so far.</summary>
    public MilterTranscript Transcript { get; }

    /// <summary>True once <see cref="BeginAsync"/> ran.</summary>
    public bool Begun { get; private set; }

    /// <summary>Negotiation (on a pooled connection, the one it was opened with), connect, HELO, MAIL.</summary>
    public async Task BeginAsync(Envelope envelope, CancellationToken cancel)
    {
        Begun = true;
        _started = Stopwatch.GetTimestamp();
        MailIngestMeter.MilterCalls.Add(1, _nameTag);
        try
        {
            (_channel, _negotiated) = await _client.OpenAsync(cancel);
            if (!Transcript.Negotiate(_negotiated))
            {
                Decided();
                return;
            }

            var client = envelope.Connection.RemoteAddress;
            // Postfix's macros, so filters written for it find what they look up; no reverse DNS is done: "unknown".
            var connectMacros = new KeyValuePair<string, string>[]
            {
                new("j", _hostName), new("{daemon_name}", "mailingest"), new("v", "MailIngest"),
                new("{client_addr}", client.ToString()), new("{client_name}", "unknown"), new("_", $"unknown [{client}]"),
            };
            KeyValuePair<string, string>[] heloMacros = envelope.Tls is { } tls
                ? [new("{tls_version}", tls.Protocol), new("{cipher}", tls.Cipher)]
                : NoMacros;
            var mailMacros = new KeyValuePair<string, string>[]
            {
                new("i", _queueId), new("{mail_addr}", envelope.ReversePath), new("{auth_type}", ""),
                new("{auth_authen}", ""), new("{auth_author}", ""),
            };
            if (await AskAsync(MilterStage.Connect, connectMacros, MilterPacket.Connect("unknown", client, 0), cancel) == MilterStep.Done
                || await AskAsync(MilterStage.Helo, heloMacros, MilterPacket.Helo(envelope.ClientName), cancel) == MilterStep.Done
                || await AskAsync(MilterStage.Mail, mailMacros, MilterPacket.Mail(envelope.ReversePath), cancel) == MilterStep.Done)
            {
                Decided();
            }
        }
        catch (Exception error) when (Ends(error, cancel))
        {
            Failed(error);
        }
    }

    /// <summary>RCPT for <paramref name="recipient"/>: null when the milter takes it (or has decided already), else its refusal.</summary>
    public async Task<SmtpReply?> RecipientAsync(MailboxAddress recipient, CancellationToken cancel)
    {
        if (_decided) return null;
        var refused = Transcript.RefusedRecipients.Count;
        try
        {
            KeyValuePair<string, string>[] macros = [new("{rcpt_addr}", recipient.Address)];
            if (await AskAsync(MilterStage.Recipient, macros, MilterPacket.Recipient(recipient.Address), cancel, recipient.Address) == MilterStep.Done)
                Decided();
        }
        catch (Exception error) when (Ends(error, cancel))
        {
            Failed(error);
        }

        return Transcript.RefusedRecipients.Count > refused ? Transcript.RefusedRecipients[^1].Reply : null;
    }

    /// <summary>DATA, the header fields, end of headers, the body, end of message; then the connection is pooled or closed.</summary>
    public async Task FinishAsync(IReadOnlyList<HeaderField> headers, Func<Stream> openBody, CancellationToken cancel)
    {
        if (!Begun) throw new InvalidOperationException("A milter session is finished only after its recipients were asked.");
        if (!_decided)
        {
            try
            {
                await SendMessageAsync(headers, openBody, cancel);
                Decided();
            }
            catch (Exception error) when (Ends(error, cancel))
            {
                Failed(error);
            }
        }

        await CloseAsync(cancel);
        MailIngestMeter.MilterSeconds.Record(MailIngestMeter.SecondsSince(_started), _nameTag);
        MailIngestMeter.MilterActions.Add(1, _nameTag, new KeyValuePair<string, object?>("action", Transcript.Action.ToString().ToLowerInvariant()));
    }

    /// <summary>The transaction was abandoned (RSET, a new MAIL, the client left): QUIT and close.</summary>
    public async Task AbandonAsync()
    {
        if (_channel is not { } channel) return;
        _channel = null;
        await MilterClient.QuitAsync(channel, _client.Options.CommandTimeout, CancellationToken.None);
        await channel.DisposeAsync();
    }

    private async Task SendMessageAsync(IReadOnlyList<HeaderField> headers, Func<Stream> openBody, CancellationToken cancel)
    {
        if (await AskAsync(MilterStage.Data, NoMacros, MilterPacket.Bare('T'), cancel) == MilterStep.Done) return;
        // Checked here as well as in AskAsync: a milter that skips headers would otherwise cost a packet per field.
        if (Transcript.Sends(MilterStage.Header))
        {
            foreach (var field in headers)
            {
                if (field.Name.Length == 0) continue;
                // Without SMFIP_HDR_LEADSPC a milter gets the value without the space after the colon, as from Postfix.
                var value = !Transcript.LeadingSpace && field.Value.StartsWith(' ') ? field.Value[1..] : field.Value;
                if (await AskAsync(MilterStage.Header, NoMacros, MilterPacket.Header(field.Name, value), cancel) == MilterStep.Done) return;
            }
        }

        if (await AskAsync(MilterStage.EndOfHeaders, NoMacros, MilterPacket.Bare('N'), cancel) == MilterStep.Done) return;
        if (await SendBodyAsync(openBody, cancel) == MilterStep.Done) return;
        var channel = _channel!;
        channel.Send(MilterPacket.Macros('E', [new("i", _queueId)]));
        channel.Send(MilterPacket.Bare('E'));
        await ReadUntilDecidedAsync(MilterStage.EndOfMessage, null, _client.Options.ContentTimeout, cancel);
    }

    private async Task<MilterStep> SendBodyAsync(Func<Stream> openBody, CancellationToken cancel)
    {
        if (!Transcript.Sends(MilterStage.Body)) return MilterStep.Next;
        var chunk = ArrayPool<byte>.Shared.Rent(MilterPacket.BodyChunkSize);
        try
        {
            // The spool owns the stream: read it, never dispose it.
            var body = openBody();
            int read;
            while ((read = await body.ReadAtLeastAsync(chunk.AsMemory(0, MilterPacket.BodyChunkSize), MilterPacket.BodyChunkSize, false, cancel)) > 0)
            {
                _channel!.Send(MilterPacket.Body(chunk.AsSpan(0, read)));
                if (!Transcript.Answers(MilterStage.Body)) continue;
                var step = await ReadUntilDecidedAsync(MilterStage.Body, null, _client.Options.ContentTimeout, cancel);
                if (step == MilterStep.SkipBody) return MilterStep.Next;
                if (step == MilterStep.Done) return step;
            }

            return MilterStep.Next;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private async Task<MilterStep> AskAsync(MilterStage stage, IReadOnlyList<KeyValuePair<string, string>> macros, byte[] command,
        CancellationToken cancel, string? recipient = null)
    {
        if (!Transcript.Sends(stage)) return MilterStep.Next;
        var channel = _channel!;
        if (macros.Count > 0) channel.Send(MilterPacket.Macros((char)command[4], macros));
        channel.Send(command);
        if (!Transcript.Answers(stage)) return MilterStep.Next;
        return await ReadUntilDecidedAsync(stage, recipient, _client.Options.CommandTimeout, cancel);
    }

    private async Task<MilterStep> ReadUntilDecidedAsync(MilterStage stage, string? recipient, TimeSpan timeout, CancellationToken cancel)
    {
        while (true)
        {
            var step = Transcript.Receive(stage, await _channel!.ReceiveAsync(timeout, cancel), recipient);
            if (step != MilterStep.ReadMore) return step;
        }
    }

    // How a step ends without escaping: the milter failed, or the transaction was abandoned while it waited.
    private static bool Ends(Exception error, CancellationToken cancel) =>
        error is MilterFailure || (error is OperationCanceledException && cancel.IsCancellationRequested);

    // The milter has decided, or broke the protocol (the transcript then holds the failure).
    private void Decided()
    {
        _decided = true;
        if (Transcript.Failure is { } reason) Report("protocol", reason);
    }

    private void Failed(Exception error)
    {
        _decided = true;
        if (error is not MilterFailure failure)
        {
            // Abandoned while waiting: nobody is left to decide for.
            Transcript.Fail("abandoned");
            return;
        }

        Transcript.Fail(failure.Kind == "protocol" ? failure.Message : $"{failure.Kind}: {failure.Message}");
        Report(failure.Kind, Transcript.Failure!);
    }

    private void Report(string kind, string reason)
    {
        MailIngestMeter.MilterFailures.Add(1, _nameTag, new KeyValuePair<string, object?>("kind", kind));
        _client.LogFailed(_queueId, reason, Transcript.Action);
    }

    /// <summary>
    /// A session the milter allows to be followed by another goes back to the pool; any other ends with QUIT (none
    /// after a failure: the connection is in an unknown state) and a close.
    /// </summary>
    private async Task CloseAsync(CancellationToken cancel)
    {
        if (_channel is not { } channel) return;
        _channel = null;
        if (Transcript.Failure is null && Transcript.OpenForNextSession)
        {
            await _client.ReleaseAsync(channel, _negotiated!, cancel);
            return;
        }

        if (Transcript.Failure is null) await MilterClient.QuitAsync(channel, _client.Options.CommandTimeout, cancel);
        await channel.DisposeAsync();
    }
}
