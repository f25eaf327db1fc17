namespace MailIngest.Testing;

/// <summary>What a load run sent and what the mailboxes hold afterwards.</summary>
/// <param name="Sent">Attempts.</param>
/// <param name="Acknowledged">Attempts answered 250.</param>
/// <param name="AcknowledgedFound">Acknowledged messages found exactly once in every recipient's mailbox.</param>
/// <param name="UnacknowledgedFound">Deferred or dropped messages that nevertheless are in a mailbox (allowed: the client retries and the retry is deduplicated).</param>
/// <param name="Outcomes">Attempts per outcome.</param>
/// <param name="Problems">Acknowledged messages missing, duplicates, strangers: each one fails the test.</param>
public sealed record DeliveryReport(
    int Sent,
    int Acknowledged,
    int AcknowledgedFound,
    int UnacknowledgedFound,
    string Outcomes,
    IReadOnlyList<string> Problems)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"sent {Sent}, acknowledged {Acknowledged}, acknowledged found {AcknowledgedFound}, " +
        $"unacknowledged found {UnacknowledgedFound} ({Outcomes}), problems {Problems.Count}";
}
