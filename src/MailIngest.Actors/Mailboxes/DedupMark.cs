namespace MailIngest.Actors.Mailboxes;

/// <summary>What a mailbox remembers of a recent message: enough to recognise a retry and to find it by id.</summary>
/// <param name="DedupKey">The copy's dedup key.</param>
/// <param name="Id">Its queue id.</param>
/// <param name="SequenceNr">Its journal sequence number (= its position in the mailbox, oldest first, from 1).</param>
public sealed record DedupMark(string DedupKey, string Id, long SequenceNr);
