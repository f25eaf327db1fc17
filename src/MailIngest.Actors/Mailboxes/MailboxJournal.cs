using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Reads stored messages back from the journal (one read journal and one materializer per node): a mailbox's by
/// sequence number, how it pages messages it no longer keeps in memory; and any query of the feed's.
/// </summary>
/// <remarks>
/// The read journal is taken on the first read, not when this extension is made (in every mailbox's constructor):
/// its constructor waits at most 5 s for the write journal to be initialized and throws after that, and Akka keeps
/// an extension whose constructor threw broken for the life of the actor system. On a busy start (the schema lock,
/// a slow database) that once left a node unable to start any mailbox until it was restarted. Now such a read fails
/// alone and the next one tries again.
/// </remarks>
public sealed class MailboxJournal : IExtension
{
    private readonly ExtendedActorSystem _system;
    private readonly IMaterializer _materializer;
    private SqlReadJournal? _journal;

    private MailboxJournal(ExtendedActorSystem system)
    {
        _system = system;
        _materializer = system.Materializer(namePrefix: "mailbox-journal");
    }

    /// <summary>The node's reader.</summary>
    public static MailboxJournal Get(ActorSystem system) => system.WithExtension<MailboxJournal, Provider>();

    /// <summary>The messages with sequence numbers <paramref name="from"/> to <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(long SequenceNr, StoredMessageV1 Message)>> ReadAsync(string persistenceId, long from, long to) =>
        (await ReadEventsAsync(persistenceId, from, to))
            .Where(row => row.Event is MessageStoredV1)
            .Select(row => (row.SequenceNr, ((MessageStoredV1)row.Event).Entry))
            .ToArray();

    /// <summary>
    /// The messages with sequence numbers <paramref name="first"/> to <paramref name="last"/>, oldest first, read a page
    /// of 1 000 sequence numbers at a time (a mailbox's cleanup or recount need not hold it all).
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<(long SequenceNr, StoredMessageV1 Message)>> ReadPagesAsync(string persistenceId, long first, long last)
    {
        const int page = 1000;
        for (var from = first; from <= last; from += page) yield return await ReadAsync(persistenceId, from, Math.Min(last, from + page - 1));
    }

    /// <summary>
    /// The mailbox's events with sequence numbers <paramref name="from"/> to <paramref name="to"/>, oldest first: stored
    /// messages and recorded deletions, what a mailbox's state is built from.
    /// </summary>
    public async Task<IReadOnlyList<(long SequenceNr, object Event)>> ReadEventsAsync(string persistenceId, long from, long to)
    {
        if (from > to) return [];
        return await ReadAsync(journal => journal.CurrentEventsByPersistenceId(persistenceId, from, to)
            .Where(envelope => envelope.Event is MessageStoredV1 or MessagesDeletedV1)
            .Select(envelope => (envelope.SequenceNr, envelope.Event)));
    }

    /// <summary>Runs <paramref name="query"/> on the node's read journal and collects everything it emits.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync<T>(Func<SqlReadJournal, Source<T, NotUsed>> query) =>
        await query(Journal).RunWith(Sink.Seq<T>(), _materializer);

    // PersistenceQuery keeps the read journal once made and makes nothing when its constructor throws.
    private SqlReadJournal Journal =>
        _journal ??= PersistenceQuery.Get(_system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    private sealed class Provider : ExtensionIdProvider<MailboxJournal>
    {
        public override MailboxJournal CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
