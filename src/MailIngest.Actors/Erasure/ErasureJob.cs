namespace MailIngest.Actors.Erasure;

/// <summary>
/// One erasure request as its caller sees it: what it asked, where it stands, and how many copies it deleted so far.
/// </summary>
/// <param name="Id">What to poll (GET /api/erasure/{id} on the node that took the request).</param>
/// <param name="Address">The normalized address whose mail is erased.</param>
/// <param name="IncludeSender">Whether mail sent from the address is erased too, not only mail addressed to it.</param>
/// <param name="Status">"running", "done" or "failed" (the request can be made again: erasing twice deletes nothing twice).</param>
/// <param name="Addressed">Copies in the address's own mailbox deleted.</param>
/// <param name="Sent">Copies in other mailboxes deleted because they were sent from the address.</param>
/// <param name="Error">Why it failed; null otherwise.</param>
public sealed record ErasureJob(
    string Id,
    string Address,
    bool IncludeSender,
    string Status,
    long Addressed,
    long Sent,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>Copies deleted so far.</summary>
    public long Deleted => Addressed + Sent;
}
