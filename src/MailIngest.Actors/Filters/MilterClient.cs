using System.Buffers;
using System.Diagnostics;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Milter;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Filters;

/// <summary>
/// Talks to one milter for one message, over a connection of its own, as Postfix's smtpd does after end of data:
/// negotiate, connect, HELO, MAIL, RCPT, DATA, headers, end of headers, body in chunks, end of message, QUIT. The
/// <see cref="MilterTranscript"/> says what each reply means; this class only moves packets and keeps time.
/// </summary>
public sealed partial class MilterClient(MilterOptions options, ILogger<MilterClient> logger)
{
    private static readonly KeyValuePair<string, string>[] NoMacros = [];

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
        try
        {
            await using var channel = await MilterChannel.ConnectAsync(Options.Address, Options.ConnectTimeout, cancel);
            channel.Send(MilterPacket.Negotiate(MilterActions.Supported, MilterProtocol.Offered));
            if (transcript.Negotiate(await channel.ReceiveAsync(Options.CommandTimeout, cancel)))
            {
                await ConverseAsync(channel, transcript, message, cancel);
                await QuitAsync(channel, cancel);
            }
        }
        catch (MilterFailure failure)
        {
            transcript.Fail(failure.Kind == "protocol" ? failure.Message : $"{failure.Kind}: {failure.Message}");
            kind = failure.Kind;
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

    private async Task ConverseAsync(MilterChannel channel, MilterTranscript transcript, MilterMessage message, CancellationToken cancel)
    {
        var envelope = message.Envelope;
        var client = envelope.Connection.RemoteAddress;
        // Postfix's macros, so filters written for it find what they look up; no reverse DNS is done: "unknown".
        var connectMacros = new KeyValuePair<string, string>[]
        {
            new("j", message.HostName), new("{daemon_name}", "mailingest"), new("v", "MailIngest"),
            new("{client_addr}", client.ToString()), new("{client_name}", "unknown"), new("_", $"unknown [{client}]"),
        };
        if (await AskAsync(channel, transcript, MilterStage.Connect, connectMacros, MilterPacket.Connect("unknown", client, 0), cancel) == MilterStep.Done) return;
        KeyValuePair<string, string>[] heloMacros = envelope.Tls is { } tls
            ? [new("{tls_version}", tls.Protocol), new("{cipher}", tls.Cipher)]
            : NoMacros;
        if (await AskAsync(channel, transcript, MilterStage.Helo, heloMacros, MilterPacket.Helo(envelope.ClientName), cancel) == MilterStep.Done) return;
        var mailMacros = new KeyValuePair<string, string>[]
        {
            new("i", message.QueueId), new("{mail_addr}", envelope.ReversePath), new("{auth_type}", ""),
            new("{auth_authen}", ""), new("{auth_author}", ""),
        };
        if (await AskAsync(channel, transcript, MilterStage.Mail, mailMacros, MilterPacket.Mail(envelope.ReversePath), cancel) == MilterStep.Done) return;
        foreach (var recipient in envelope.Recipients)
        {
            KeyValuePair<string, string>[] rcptMacros = [new("{rcpt_addr}", recipient.Address)];
            if (await AskAsync(channel, transcript, MilterStage.Recipient, rcptMacros, MilterPacket.Recipient(recipient.Address), cancel, recipient.Address) == MilterStep.Done) return;
        }

        // Every recipient refused: as at RCPT, the transaction has nobody left to deliver to.
        if (transcript.RefusedRecipients.Count == envelope.Recipients.Count) return;
        if (await AskAsync(channel, transcript, MilterStage.Data, NoMacros, MilterPacket.Bare('T'), cancel) == MilterStep.Done) return;
        foreach (var field in message.Headers)
        {
            if (field.Name.Length == 0) continue;
            // Without SMFIP_HDR_LEADSPC a milter gets the value without the space after the colon, as from Postfix.
            var value = !transcript.LeadingSpace && field.Value.StartsWith(' ') ? field.Value[1..] : field.Value;
            if (await AskAsync(channel, transcript, MilterStage.Header, NoMacros, MilterPacket.Header(field.Name, value), cancel) == MilterStep.Done) return;
        }

        if (await AskAsync(channel, transcript, MilterStage.EndOfHeaders, NoMacros, MilterPacket.Bare('N'), cancel) == MilterStep.Done) return;
        if (await SendBodyAsync(channel, transcript, message, cancel) == MilterStep.Done) return;
        channel.Send(MilterPacket.Macros('E', [new("i", message.QueueId)]));
        channel.Send(MilterPacket.Bare('E'));
        await ReadUntilDecidedAsync(channel, transcript, MilterStage.EndOfMessage, null, Options.ContentTimeout, cancel);
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
