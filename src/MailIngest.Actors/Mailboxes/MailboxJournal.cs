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
public sealed class MailboxJournal : IExtension
{
    private readonly SqlReadJournal _journal;
    private readonly IMaterializer _materializer;

    private MailboxJournal(ExtendedActorSystem system)
    {
        _journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        _materializer = system.Materializer(namePrefix: "mailbox-journal");
    }

    /// <summary>The node's reader.</summary>
    public static MailboxJournal Get(ActorSystem system) => system.WithExtension<MailboxJournal, Provider>();

    /// <summary>The messages with sequence numbers <paramref name="from"/> to <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(long SequenceNr, StoredMessageV1 Message)>> ReadAsync(string persistenceId, long from, long to)
    {
        if (from > to) return [];
        return await ReadAsync(journal => journal.CurrentEventsByPersistenceId(persistenceId, from, to)
            .Where(envelope => envelope.Event is MessageStoredV1)
            .Select(envelope => (envelope.SequenceNr, ((MessageStoredV1)envelope.Event).Entry)));
    }

    /// <summary>Runs <paramref name="query"/> on the node's read journal and collects everything it emits.</summary>
    public async Task<IReadOnlyList<T>> ReadAsync<T>(Func<SqlReadJournal, Source<T, NotUsed>> query) =>
        await query(_journal).RunWith(Sink.Seq<T>(), _materializer);

    private sealed class Provider : ExtensionIdProvider<MailboxJournal>
    {
        public override MailboxJournal CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
