using Akka.Actor;
using MailIngest.Actors.Content;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Sessions;
using MailIngest.Smtp;
using MailIngest.Smtp.Session;
using Envelope = MailIngest.Smtp.Session.Envelope;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Delivery;

/// <summary>
/// Stores a completed message: content once, then one event per recipient mailbox. Succeeds only when
/// every mailbox has acknowledged its persisted event; any failure or timeout becomes a 451 deferral.
/// </summary>
public sealed class MessageDelivery(
    IContentStore contentStore,
    IActorRef mailboxRegion,
    SmtpOptions smtpOptions,
    TimeSpan timeout,
    TimeProvider clock,
    ILogger<MessageDelivery> logger)
{
    /// <summary>Delivers the spooled message for every recipient of <paramref name="envelope"/>.</summary>
    public async Task<DeliveryOutcome> DeliverAsync(Envelope envelope, MessageSpool spool)
    {
        var receivedAt = clock.GetUtcNow();
        var queueId = QueueId.New(receivedAt);
        using var deadline = new CancellationTokenSource(timeout, clock);
        try
        {
            var summary = MessageSummary.Parse(spool.Rewind());
            await contentStore.PutAsync(spool.ContentKey, spool.Rewind(), deadline.Token);
            var entry = new MessageEntry(
                queueId,
                spool.ContentKey,
                DedupKey(summary.MessageId, spool.ContentKey),
                TraceHeaders.Build(envelope, queueId, receivedAt, smtpOptions),
                summary.MessageId,
                summary.From,
                summary.To,
                summary.Subject,
                summary.Date,
                spool.Length,
                summary.AttachmentCount,
                receivedAt);
            await Task.WhenAll(envelope.Recipients.Select(recipient =>
                mailboxRegion.Ask<StoreMessageAck>(new StoreMessage(recipient.Normalized, entry), deadline.Token)));
            logger.LogInformation("Accepted {QueueId} from <{Sender}> for {Count} recipient(s), {Size} octets",
                queueId, envelope.ReversePath, envelope.Recipients.Count, spool.Length);
            return new DeliveryOutcome.Accepted(queueId);
        }
        catch (Exception error)
        {
            // Whatever failed (database, cluster, timeout), the client must retry: nothing acknowledged is lost,
            // and mailboxes that did persist will recognise the retry by its dedup key.
            var reason = deadline.IsCancellationRequested ? $"not confirmed within {timeout.TotalSeconds:0.#} s" : error.Message;
            logger.LogWarning(error, "Deferred {QueueId} from <{Sender}>: {Reason}", queueId, envelope.ReversePath, reason);
            return DeliveryOutcome.Deferred.Instance;
        }
    }

    /// <summary>Same Message-ID and same content is the same message; without a Message-ID the content decides.</summary>
    private static string DedupKey(string? messageId, string contentKey) =>
        messageId is null ? contentKey : $"{messageId}|{contentKey}";
}
