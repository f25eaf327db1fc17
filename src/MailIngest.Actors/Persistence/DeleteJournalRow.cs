namespace MailIngest.Actors.Persistence;

/// <summary>
/// To the node's journal: remove the row of one event, not the prefix that Akka.Persistence's own deletion removes. Answered
/// with <see cref="JournalRowDeleted"/>, or a failure.
/// </summary>
public sealed record DeleteJournalRow(string PersistenceId, long SequenceNr);

/// <summary>Answer to <see cref="DeleteJournalRow"/>: the row is gone (or kept marked deleted, without its payload).</summary>
public sealed record JournalRowDeleted(string PersistenceId, long SequenceNr);
