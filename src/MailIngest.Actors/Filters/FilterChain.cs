using MailIngest.Actors.Delivery;
using MailIngest.Actors.Mailboxes;
using MailIngest.Smtp.Milter;
using MailIngest.Smtp.Session;
using Microsoft.Extensions.Logging;
using Envelope = MailIngest.Smtp.Session.Envelope;

namespace MailIngest.Actors.Filters;

/// <summary>
/// The configured milters in order, as Postfix's smtpd_milters: a <see cref="FilterTransaction"/> asks them at each
/// RCPT; at end of data each gets the message as received; the first to refuse or discard ends the chain; the
/// changes of all the others are applied in order (headers to the stored content, sender and recipients to the
/// envelope), and what each did is stored with every copy. Nothing is acknowledged before every milter has answered
/// or its failure policy decided.
/// </summary>
public sealed partial class FilterChain(
    IReadOnlyList<MilterClient> milters,
    string hostName,
    TimeProvider clock,
    ILogger<FilterChain> logger)
{
    /// <summary>The milters' sessions for the SMTP session's transaction number <paramref name="number"/>.</summary>
    public FilterTransaction Begin(int number)
    {
        var queueId = QueueId.New(clock.GetUtcNow());
        return new FilterTransaction(number, queueId, milters.Select(milter => milter.Start(queueId, hostName)).ToArray());
    }

    /// <summary>Finishes the transaction's milter sessions on the spooled message, then delivers what they let through.</summary>
    public async Task<DeliveryOutcome> DeliverAsync(Envelope envelope, MessageSpool spool, MessageDelivery delivery, FilterTransaction transaction)
    {
        await using var finishing = transaction;
        var queueId = transaction.QueueId;
        var (headers, bodyStart) = await spool.ReadHeaderSectionAsync();
        var transcripts = new List<MilterTranscript>(transaction.Conversations.Count);
        Func<Stream> openBody = () => spool.RewindTo(bodyStart);
        foreach (var conversation in transaction.Conversations)
        {
            await conversation.FinishAsync(headers.Fields, openBody, CancellationToken.None);
            var transcript = conversation.Transcript;
            transcripts.Add(transcript);
            if (transcript.Action is FilterAction.Reject or FilterAction.TempFail)
            {
                LogRefused(queueId, transcript.Name, transcript.Reply!.Code, string.Join(" ", transcript.Reply.Lines));
                return new DeliveryOutcome.Refused(transcript.Reply);
            }

            if (transcript.Action == FilterAction.Discard)
            {
                LogDiscarded(queueId, envelope.ReversePath, transcript.Name);
                return new DeliveryOutcome.Accepted(queueId);
            }
        }

        var filtered = MilterEnvelope.Apply(envelope, transcripts, out var skipped);
        foreach (var address in skipped) LogBadAddress(queueId, address);
        if (filtered.Recipients.Count == 0)
        {
            // The milters deleted every recipient.
            LogDiscarded(queueId, envelope.ReversePath, "no recipient left");
            return new DeliveryOutcome.Accepted(queueId);
        }

        var verdicts = transcripts.Select(t => Verdict(t, headers)).ToArray();
        var quarantined = transcripts.Any(t => t.Action == FilterAction.Quarantine);
        if (!transcripts.Any(t => t.Edits.Any(IsHeaderEdit)))
            return await delivery.DeliverAsync(filtered, spool, queueId, verdicts, quarantined);
        using var edited = await spool.RewriteAsync(headers, bodyStart);
        return await delivery.DeliverAsync(filtered, edited, queueId, verdicts, quarantined);
    }

    private static FilterVerdictV1 Verdict(MilterTranscript transcript, HeaderSection headers)
    {
        var added = new List<string>();
        var changed = new List<string>();
        foreach (var edit in transcript.Edits)
        {
            switch (edit)
            {
                case MilterReply.AddHeader add:
                    added.Add(headers.Add(add.Name, add.Value, transcript.LeadingSpace).Text);
                    break;
                case MilterReply.InsertHeader insert:
                    added.Add(headers.Insert(insert.Index, insert.Name, insert.Value, transcript.LeadingSpace).Text);
                    break;
                case MilterReply.ChangeHeader change:
                    changed.Add(headers.Change(change.Index, change.Name, change.Value, transcript.LeadingSpace)?.Text ?? change.Name + ":");
                    break;
            }
        }

        return new FilterVerdictV1(transcript.Name, transcript.Action.ToString().ToLowerInvariant(), added,
            changed.Count == 0 ? null : changed, transcript.QuarantineReason, transcript.Failure);
    }

    private static bool IsHeaderEdit(MilterReply edit) =>
        edit is MilterReply.AddHeader or MilterReply.InsertHeader or MilterReply.ChangeHeader;

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {QueueId}: milter {Milter} answered {Code} {Text}")]
    private partial void LogRefused(string queueId, string milter, int code, string text);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discarded {QueueId} from <{Sender}> ({Reason}): answered 250, stored nothing")]
    private partial void LogDiscarded(string queueId, string sender, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A milter gave {QueueId} the address {Address}, which is not a valid mailbox; ignored")]
    private partial void LogBadAddress(string queueId, string address);
}
