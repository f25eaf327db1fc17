namespace MailIngest.Actors.Mailboxes;

/// <summary>What the retry ledger says of a stored copy with the same content and envelope as a new one.</summary>
public enum RetryVerdict
{
    /// <summary>The stored copy was acknowledged (or is owned by a live transaction): the new copy is another message.</summary>
    Distinct,

    /// <summary>The stored copy's transaction was deferred: the new copy is its retry and is absorbed.</summary>
    Claimable,

    /// <summary>The stored copy already stands for this transaction (a resend of an absorbed copy).</summary>
    AlreadyClaimed,
}
