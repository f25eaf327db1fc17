using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

/// <summary>The result of storing a message for every recipient.</summary>
public abstract record DeliveryOutcome
{
    /// <summary>Every copy is durably stored: 250 2.0.0 Ok: queued as {QueueId}.</summary>
    public sealed record Accepted(string QueueId) : DeliveryOutcome;

    /// <summary>
    /// Storage or the cluster did not confirm in time: 451 4.3.0, the client retries. The reason stays with
    /// the delivery's log; the client is never told.
    /// </summary>
    public sealed record Deferred : DeliveryOutcome
    {
        /// <summary>The single instance.</summary>
        public static readonly Deferred Instance = new();
    }

    /// <summary>A content filter refused the message: its reply (4xx, the client retries; 5xx, it gives up).</summary>
    public sealed record Refused(SmtpReply Reply) : DeliveryOutcome;

    /// <summary>
    /// The store is out of space (the database said so): 452 4.3.1, as at RCPT on a full data volume; the client
    /// keeps the message and retries later.
    /// </summary>
    public sealed record NoStorage : DeliveryOutcome
    {
        /// <summary>The single instance.</summary>
        public static readonly NoStorage Instance = new();
    }
}
