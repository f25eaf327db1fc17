using Akka.Actor;
using MailIngest.Actors.Content;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Storage;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp;
using MailIngest.Smtp.Session;
using Envelope = MailIngest.Smtp.Session.Envelope;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Delivery;

/// <summary>
/// Stores a completed message: content once, then one event per recipient mailbox. Succeeds only when
/// every mailbox has acknowledged its persisted event; any failure or timeout becomes a 451 deferral, or a 452 when
/// the database said it is out of space (<see cref="DatabaseSpace"/>).
/// </summary>
public sealed partial class MessageDelivery(
    IContentStore contentStore,
    IActorRef mailboxRegion,
    SmtpOptions smtpOptions,
    TimeSpan timeout,
    DatabaseSpace space,
    DeliveryCounters counters,
    MembershipLog membership,
    TimeProvider clock,
    ILogger<MessageDelivery> logger,
    IMessageAuthentication? authentication = null)
{
    // A copy sent while its shard's node is dead but not yet removed goes to dead letters; the only sign is the
    // missing answer. While membership is changing, one second is far above a journal write under load (a resend of
    // a copy still being written just waits for that write) and short enough that a copy completes within a second
    // of its shard moving. In a settled cluster a slow ack means load, not loss: resending then only adds work to a
    // node that is already the busiest (measured under a CPU quota), so the wait is long and a resend a rare
    // safety net (an entity stopped by a failed write, say).
    private static readonly TimeSpan MovingAttempt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettledAttempt = TimeSpan.FromSeconds(10);

    // From a member or reachability change until shards have moved: detection, downing, removal, stable-after and
    // allocation take about 20 s with the failover settings (docs/cluster.md), so a minute leaves a wide margin.
    private static readonly TimeSpan SettlesAfter = TimeSpan.FromMinutes(1);

    /// <summary>Delivers the spooled message for every recipient of <paramref name="envelope"/>.</summary>
    public Task<DeliveryOutcome> DeliverAsync(Envelope envelope, MessageSpool spool) =>
        DeliverAsync(envelope, spool, QueueId.New(clock.GetUtcNow()), null, false);

    /// <summary>
    /// Delivers a message the milters have seen, under the queue id they were told, with what they did
    /// (<paramref name="filters"/>) and whether one quarantined it.
    /// </summary>
    public async Task<DeliveryOutcome> DeliverAsync(Envelope envelope, MessageSpool spool, string queueId,
        IReadOnlyList<FilterVerdictV1>? filters, bool quarantined)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var receivedAt = clock.GetUtcNow();
        using var deadline = new CancellationTokenSource(timeout, clock);
        AuthenticatedMessage? authenticated = null;
        try
        {
            if (authentication is not null)
            {
                authenticated = await authentication.AuthenticateAsync(envelope, spool, deadline.Token);
                if (authenticated.Refusal is { } refusal)
                {
                    LogRefused(queueId, envelope.ReversePath, refusal.Code, string.Join(" ", refusal.Lines));
                    return new DeliveryOutcome.Refused(refusal);
                }

                spool = authenticated.Rewritten ?? spool;
            }

            var summary = MessageSummary.Parse(spool.Rewind());
            await contentStore.PutAsync(spool.ContentKey, spool.Rewind(), envelope.Recipients.Count, deadline.Token);
            var copy = new MessageCopy(
                queueId,
                spool.ContentKey,
                DedupKey(summary.MessageId, envelope.ReversePath, spool.ContentKey),
                TraceHeaders.Build(envelope, queueId, receivedAt, smtpOptions) + authenticated?.Header,
                summary.MessageId,
                summary.From,
                summary.To,
                summary.Subject,
                summary.Date,
                spool.Length,
                receivedAt,
                filters,
                quarantined,
                authenticated?.Verdict);
            var acks = new Task[envelope.Recipients.Count];
            for (var i = 0; i < acks.Length; i++)
            {
                acks[i] = StoreAsync(new StoreMessage(envelope.Recipients[i].Normalized, copy), deadline.Token);
            }

            await Task.WhenAll(acks);
            LogAccepted(queueId, envelope.ReversePath, acks.Length, spool.Length);
            MailIngestMeter.DeliverySeconds.Record(MailIngestMeter.SecondsSince(started), new KeyValuePair<string, object?>("outcome", "accepted"));
            return new DeliveryOutcome.Accepted(queueId);
        }
        catch (Exception error)
        {
            // Whatever failed (database, cluster, timeout), the client must retry: nothing acknowledged is lost, and
            // the mailboxes that did persist learn that their copy was not acknowledged, so it absorbs the retry.
            foreach (var recipient in envelope.Recipients)
                mailboxRegion.Tell(new DeferTransaction(recipient.Normalized, queueId));
            var reason = deadline.IsCancellationRequested ? $"not confirmed within {timeout.TotalSeconds:0.#} s" : error.Message;
            LogDeferred(error, queueId, envelope.ReversePath, reason);
            MailIngestMeter.DeliverySeconds.Record(MailIngestMeter.SecondsSince(started), new KeyValuePair<string, object?>("outcome", "deferred"));
            return space.Observe(error) ? DeliveryOutcome.NoStorage.Instance : DeliveryOutcome.Deferred.Instance;
        }
        finally
        {
            authenticated?.Dispose();
        }
    }

    /// <summary>
    /// Sends the copy until its mailbox acknowledges or the deadline passes. A copy sent to a shard whose node just
    /// died is lost in flight (dead letters until the node is removed); resending the same copy is safe because the
    /// mailbox recognises it by its dedup key, so the transaction completes as soon as the shard lives elsewhere.
    /// </summary>
    private async Task StoreAsync(StoreMessage copy, CancellationToken deadline)
    {
        var resent = false;
        try
        {
            while (true)
            {
                try
                {
                    await mailboxRegion.Ask<StoreMessageAck>(copy, AttemptTimeout(), deadline);
                    return;
                }
                catch (AskTimeoutException) when (!deadline.IsCancellationRequested)
                {
                    if (!resent)
                    {
                        resent = true;
                        counters.StartedWaiting();
                        LogWaiting(copy.Mailbox, copy.Copy.Id);
                    }

                    counters.Resent();
                }
            }
        }
        finally
        {
            if (resent) counters.StoppedWaiting();
        }
    }

    private TimeSpan AttemptTimeout() =>
        membership.Last is { } change && clock.GetUtcNow() - change.At < SettlesAfter ? MovingAttempt : SettledAttempt;

    /// <summary>
    /// Same Message-ID and same content is the same message. Without a Message-ID, the key only finds a candidate (same
    /// reverse path, same content): the mailbox merges the two only when the stored copy's transaction answered 451.
    /// </summary>
    private static string DedupKey(string? messageId, string reversePath, string contentKey) =>
        messageId is null ? $"<{reversePath}> {contentKey}" : $"{messageId}|{contentKey}";

    // Debug, not Information: a line per accepted message cost measurable CPU at thousands of messages per second;
    // /status counts them, and a deferral (below) is always logged.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepted {QueueId} from <{Sender}> for {Count} recipient(s), {Size} octets")]
    private partial void LogAccepted(string queueId, string sender, int count, long size);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {QueueId} from <{Sender}>: {Code} {Text}")]
    private partial void LogRefused(string queueId, string sender, int code, string text);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "No acknowledgement from mailbox {Mailbox} for {QueueId} within one attempt (its shard may be moving); sending the copy again until it answers")]
    private partial void LogWaiting(string mailbox, string queueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deferred {QueueId} from <{Sender}>: {Reason}")]
    private partial void LogDeferred(Exception error, string queueId, string sender, string reason);
}
