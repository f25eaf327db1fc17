using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Db;
using Akka.Persistence.Sql.Journal;
using Akka.Persistence.Sql.Journal.Types;
using Config = Akka.Configuration.Config;

namespace MailIngest.Actors.Persistence;

/// <summary>
/// Akka.Persistence.Sql's journal with its two hot paths replaced. The highest-sequence-number query that starts every
/// recovery is batched (<see cref="HighestSequenceNumbers"/>): the plugin runs it per entity, in a transaction, through
/// a LINQ expression built each time, 0.2 ms of CPU per new mailbox (docs/performance.md, "New addresses"). Writes go
/// through <see cref="JournalRowWriter"/>, the plugin's rows in plain parameterized statements, which also removes the
/// row of one event (<see cref="DeleteJournalRow"/>). Replays and the deletion of a prefix are the plugin's own.
/// </summary>
public sealed class BatchedRecoveryJournal : SqlWriteJournal
{
    // The journal's own writes still in flight, by persistence id: a recovery waits for its id's write to finish so
    // it never reads a highest sequence number that a write about to commit makes stale (the plugin does the same).
    private readonly ConcurrentDictionary<string, Task> _writing = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HighestSequenceNumbers? _highest;
    private readonly JournalRowWriter? _rows;

    /// <summary>Created by Akka.Persistence from the plugin's configuration section.</summary>
    public BatchedRecoveryJournal(Config config) : base(config)
    {
        var journal = new JournalConfig(config.WithFallback(SqlPersistence.DefaultJournalConfiguration));
        // In delete-compatibility mode the highest number may sit in the metadata table, and tagged events (which the
        // node does not write) take rows in the tag table: the plugin knows both.
        if (journal.DaoConfig.SqlCommonCompatibilityMode) return;
        // The plugin's own connection gives the database provider and its table mapping, built once for both.
        using var plugin = new AkkaPersistenceDataConnectionFactory(journal).GetConnection();
        _highest = new HighestSequenceNumbers(journal, plugin.DataProvider, _stopping.Token);
        var table = plugin.GetTable<JournalRow>().DataContext.MappingSchema.GetEntityDescriptor(typeof(JournalRow));
        _rows = new JournalRowWriter(journal, plugin.DataProvider, table, Context.System.Serialization);
    }

    /// <inheritdoc />
    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        if (_highest is null) return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
        if (_writing.TryGetValue(persistenceId, out var write))
        {
            // Whether it committed or failed does not matter here, only that it is over.
            await write.ContinueWith(static _ => { }, TaskScheduler.Default).WaitAsync(cancellationToken);
        }

        return await _highest.ReadAsync(persistenceId).WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        // Never empty: Akka.Persistence sends a WriteMessages only with writes in it, and the plugin reads the first.
        var written = _rows is null ? base.WriteMessagesAsync(writes, cancellationToken) : _rows.WriteAsync(writes, cancellationToken);
        var entry = new KeyValuePair<string, Task>(writes[0].PersistenceId, written);
        _writing[entry.Key] = written;
        written.ContinueWith(_ => _writing.TryRemove(entry), TaskContinuationOptions.ExecuteSynchronously);
        return written;
    }

    /// <inheritdoc />
    protected override bool ReceivePluginInternal(object message)
    {
        if (message is not DeleteJournalRow delete) return base.ReceivePluginInternal(message);
        var deleted = _rows?.DeleteRowAsync(delete.PersistenceId, delete.SequenceNr, _stopping.Token)
            ?? Task.FromException(new NotSupportedException("one row cannot be deleted in the journal's delete-compatibility mode"));
        deleted.PipeTo(Sender, success: () => new JournalRowDeleted(delete.PersistenceId, delete.SequenceNr));
        return true;
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _rows?.Complete();
        base.PostStop();
    }
}
