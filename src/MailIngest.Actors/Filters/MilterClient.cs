using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Milter;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Filters;

/// <summary>
/// Talks to one milter for one message, as Postfix's smtpd does after end of data: negotiate, connect, HELO, MAIL,
/// RCPT, DATA, headers, end of headers, body in chunks, end of message. When the milter allows it,
/// SMFIC_QUIT_NC ends the session and the connection waits in a pool for the next message, whose session
/// starts at CONNECT under the same negotiation; any other end is QUIT and a close (see
/// <see cref="MilterTranscript.OpenForNextSession"/>). The <see cref="MilterTranscript"/> says what each reply means; this class only
/// moves packets and keeps time.
/// </summary>
public sealed partial class MilterClient(MilterOptions options, ILogger<MilterClient> logger)
{
    // Enough for the concurrent messages of a busy node; a connection beyond it is closed after its message.
    private const int MaxIdleConnections = 64;
    private static readonly KeyValuePair<string, string>[] NoMacros = [];
    private readonly ConcurrentStack<(MilterChannel Channel, MilterReply Negotiated)> _idle = new();
    private int _idleCount;

    /// <summary>The milter's configuration.</summary>
    public MilterOptions Options { get; } = options;

    /// <summary>Runs the conversation; a failure is in the transcript (decided by the failure policy), never thrown.</summary>
    public async Task<MilterTranscript> RunAsync(MilterMessage message, CancellationToken cancel)
    {
        var transcript = new MilterTranscript(Options.Name, Options.DefaultAction);
        var started = Stopwatch.GetTimestamp();
        var nameTag = new KeyValuePair<string, object?>("milter", Options.Name);
        MailIngestMeter.MilterCalls.Add(1, nameTag);
        string? kind = null;
        MilterChannel? channel = null;
        try
        {
            (channel, var negotiated) = await OpenAsync(cancel);
            if (transcript.Negotiate(negotiated) && await ConverseAsync(channel, transcript, message, cancel) && transcript.OpenForNextSession)
            {
                await ReleaseAsync(channel, negotiated, cancel);
                channel = null;
            }
            else if (transcript.Failure is null)
            {
                await QuitAsync(channel, cancel);
            }
        }
        catch (MilterFailure failure)
        {
            transcript.Fail(failure.Kind == "protocol" ? failure.Message : $"{failure.Kind}: {failure.Message}");
            kind = failure.Kind;
        }
        finally
        {
            if (channel is not null) await channel.DisposeAsync();
        }

        if (transcript.Failure is { } reason)
        {
            kind ??= "protocol";
            MailIngestMeter.MilterFailures.Add(1, nameTag, new KeyValuePair<string, object?>("kind", kind));
            LogFailed(Options.Name, message.QueueId, reason, transcript.Action);
        }

        MailIngestMeter.MilterSeconds.Record(MailIngestMeter.SecondsSince(started), nameTag);
        MailIngestMeter.MilterActions.Add(1, nameTag, new KeyValuePair<string, object?>("action", transcript.Action.ToString().ToLowerInvariant()));
        return transcript;
    }

    /// <summary>The conversation; true when it ran to the end of the message.</summary>
    private async Task<bool> ConverseAsync(MilterChannel channel, MilterTranscript transcript, MilterMessage message, CancellationToken cancel)
    {
        var envelope = message.Envelope;
        var client = envelope.Connection.RemoteAddress;
        // Postfix's macros, so filters written for it find what they look up; no reverse DNS is done: "unknown".
        var connectMacros = new KeyValuePair<string, string>[]
        {
            new("j", message.HostName), new("{daemon_name}", "mailingest"), new("v", "MailIngest"),
            new("{client_addr}", client.ToString()), new("{client_name}", "unknown"), new("_", $"unknown [{client}]"),
        };
        if (await AskAsync(channel, transcript, MilterStage.Connect, connectMacros, MilterPacket.Connect("unknown", client, 0), cancel) == MilterStep.Done) return false;
        KeyValuePair<string, string>[] heloMacros = envelope.Tls is { } tls
            ? [new("{tls_version}", tls.Protocol), new("{cipher}", tls.Cipher)]
            : NoMacros;
        if (await AskAsync(channel, transcript, MilterStage.Helo, heloMacros, MilterPacket.Helo(envelope.ClientName), cancel) == MilterStep.Done) return false;
        var mailMacros = new KeyValuePair<string, string>[]
        {
            new("i", message.QueueId), new("{mail_addr}", envelope.ReversePath), new("{auth_type}", ""),
            new("{auth_authen}", ""), new("{auth_author}", ""),
        };
        if (await AskAsync(channel, transcript, MilterStage.Mail, mailMacros, MilterPacket.Mail(envelope.ReversePath), cancel) == MilterStep.Done) return false;
        foreach (var recipient in envelope.Recipients)
        {
            KeyValuePair<string, string>[] rcptMacros = [new("{rcpt_addr}", recipient.Address)];
            if (await AskAsync(channel, transcript, MilterStage.Recipient, rcptMacros, MilterPacket.Recipient(recipient.Address), cancel, recipient.Address) == MilterStep.Done) return false;
        }

        // Every recipient refused: as at RCPT, the transaction has nobody left to deliver to.
        if (transcript.RefusedRecipients.Count == envelope.Recipients.Count) return false;
        if (await AskAsync(channel, transcript, MilterStage.Data, NoMacros, MilterPacket.Bare('T'), cancel) == MilterStep.Done) return false;
        foreach (var field in message.Headers)
        {
            if (field.Name.Length == 0) continue;
            // Without SMFIP_HDR_LEADSPC a milter gets the value without the space after the colon, as from Postfix.
            var value = !transcript.LeadingSpace && field.Value.StartsWith(' ') ? field.Value[1..] : field.Value;
            if (await AskAsync(channel, transcript, MilterStage.Header, NoMacros, MilterPacket.Header(field.Name, value), cancel) == MilterStep.Done) return false;
        }

        if (await AskAsync(channel, transcript, MilterStage.EndOfHeaders, NoMacros, MilterPacket.Bare('N'), cancel) == MilterStep.Done) return false;
        if (await SendBodyAsync(channel, transcript, message, cancel) == MilterStep.Done) return false;
        channel.Send(MilterPacket.Macros('E', [new("i", message.QueueId)]));
        channel.Send(MilterPacket.Bare('E'));
        await ReadUntilDecidedAsync(channel, transcript, MilterStage.EndOfMessage, null, Options.ContentTimeout, cancel);
        return true;
    }

    /// <summary>
    /// A pooled connection, whose negotiation still holds for the new session on it, or a new connection and its
    /// negotiation. A pooled connection the milter closed while it was idle is dropped here, so an idle timeout on the
    /// milter's side costs no message.
    /// </summary>
    private async Task<(MilterChannel Channel, MilterReply Negotiated)> OpenAsync(CancellationToken cancel)
    {
        while (_idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            if (idle.Channel.IsQuiet) return idle;
            await idle.Channel.DisposeAsync();
        }

        var channel = await MilterChannel.ConnectAsync(Options.Address, Options.ConnectTimeout, cancel);
        MailIngestMeter.MilterConnections.Add(1, new KeyValuePair<string, object?>("milter", Options.Name));
        try
        {
            channel.Send(MilterPacket.Negotiate(MilterActions.Supported, MilterProtocol.Offered));
            return (channel, await channel.ReceiveAsync(Options.CommandTimeout, cancel));
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends the milter session with SMFIC_QUIT_NC and keeps the connection for the next message.</summary>
    private async Task ReleaseAsync(MilterChannel channel, MilterReply negotiated, CancellationToken cancel)
    {
        if (Interlocked.Increment(ref _idleCount) > MaxIdleConnections)
        {
            Interlocked.Decrement(ref _idleCount);
            await QuitAsync(channel, cancel);
            await channel.DisposeAsync();
            return;
        }

        channel.Send(MilterPacket.Bare('K'));
        try
        {
            await channel.FlushAsync(Options.CommandTimeout, cancel);
            _idle.Push((channel, negotiated));
        }
        catch (MilterFailure)
        {
            Interlocked.Decrement(ref _idleCount);
            await channel.DisposeAsync();
        }
    }

    // The milter has decided; one that already closed its end (some do after the final reply) changes nothing.
    private async Task QuitAsync(MilterChannel channel, CancellationToken cancel)
    {
        channel.Send(MilterPacket.Bare('Q'));
        try
        {
            await channel.FlushAsync(Options.CommandTimeout, cancel);
        }
        catch (MilterFailure)
        {
        }
    }

    private async Task<MilterStep> SendBodyAsync(MilterChannel channel, MilterTranscript transcript, MilterMessage message, CancellationToken cancel)
    {
        if (!transcript.Sends(MilterStage.Body)) return MilterStep.Next;
        var chunk = ArrayPool<byte>.Shared.Rent(MilterPacket.BodyChunkSize);
        try
        {
            // The spool owns the stream: read it, never dispose it.
            var body = message.OpenBody();
            int read;
            while ((read = await body.ReadAtLeastAsync(chunk.AsMemory(0, MilterPacket.BodyChunkSize), MilterPacket.BodyChunkSize, false, cancel)) > 0)
            {
                channel.Send(MilterPacket.Body(chunk.AsSpan(0, read)));
                if (!transcript.Answers(MilterStage.Body)) continue;
                var step = await ReadUntilDecidedAsync(channel, transcript, MilterStage.Body, null, Options.ContentTimeout, cancel);
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

    private async Task<MilterStep> AskAsync(MilterChannel channel, MilterTranscript transcript, MilterStage stage,
        IReadOnlyList<KeyValuePair<string, string>> macros, byte[] command, CancellationToken cancel, string? recipient = null)
    {
        if (!transcript.Sends(stage)) return MilterStep.Next;
        if (macros.Count > 0) channel.Send(MilterPacket.Macros((char)command[4], macros));
        channel.Send(command);
        if (!transcript.Answers(stage)) return MilterStep.Next;
        return await ReadUntilDecidedAsync(channel, transcript, stage, recipient, Options.CommandTimeout, cancel);
    }

    private static async Task<MilterStep> ReadUntilDecidedAsync(MilterChannel channel, MilterTranscript transcript, MilterStage stage,
        string? recipient, TimeSpan timeout, CancellationToken cancel)
    {
        while (true)
        {
            var step = transcript.Receive(stage, await channel.ReceiveAsync(timeout, cancel), recipient);
            if (step != MilterStep.ReadMore) return step;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Milter {Milter} failed for {QueueId}: {Reason}; the message gets its default action ({Action})")]
    private partial void LogFailed(string milter, string queueId, string reason, FilterAction action);
}
