using System.Collections.Immutable;
using System.Data.Common;
using System.Text;
using Akka.Persistence;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Journal.Dao;
using Akka.Persistence.Sql.Journal.Types;
using LinqToDB.DataProvider;
using LinqToDB.Mapping;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Persistence;

/// <summary>
/// Writes the journal's rows: the plugin's own rows (its serializer, its table mapping, so its reads, the feed and a
/// node without this class read them as before), inserted by a <see cref="GroupCommit{T}"/> with parameterized
/// multi-row statements in one transaction per batch. The plugin's write path (a stream per write, linq2db building
/// the statement with every value, blobs as hex, spelled out as SQL text, and a new mapping schema per batch) was the
/// largest part of a message's CPU after the kernel's (docs/performance.md, "Journal writes").
/// </summary>
internal sealed class JournalRowWriter
{
    // Bounds the statement's parameters (SQLite allows 32 766, PostgreSQL 65 535) and its text.
    private const int RowsPerStatement = 100;

    private readonly IDataProvider _provider;
    private readonly string _connectionString;
    private readonly ByteArrayJournalSerializer _serializer;
    private readonly ColumnDescriptor[] _columns;
    private readonly string _insert;
    private readonly string _deleteOne;
    private readonly GroupCommit<JournalRow[]> _commits;
    private readonly bool _tagTable;

    /// <summary>
    /// A writer for the journal table that <paramref name="config"/> names, through the plugin's
    /// <paramref name="provider"/> and with the columns of its <paramref name="table"/> mapping.
    /// </summary>
    public JournalRowWriter(JournalConfig config, IDataProvider provider, EntityDescriptor table, Akka.Serialization.Serialization serialization)
    {
        _provider = provider;
        // The ordering is the database's to give (identity), as it is when the plugin inserts.
        _columns = table.Columns.Where(column => !column.IsIdentity && !column.SkipOnInsert).ToArray();
        _connectionString = config.ConnectionString;
        _tagTable = config.PluginConfig.TagMode != TagMode.Csv;
        _serializer = new ByteArrayJournalSerializer(config, serialization, config.PluginConfig.TagSeparator, Guid.NewGuid().ToString("N"));
        _insert = $"INSERT INTO {SqlNames.JournalTable(config)} ({string.Join(", ", _columns.Select(column => SqlNames.Quote(column.ColumnName)))}) VALUES ";
        _deleteOne = DeleteOneStatement(SqlNames.JournalTable(config), table);
        _commits = new GroupCommit<JournalRow[]>(CommitAsync, MailIngestMeter.JournalCommitSeconds, MailIngestMeter.JournalBatchSize);
    }

    /// <summary>
    /// Writes <paramref name="writes"/> once their batch commits; like the plugin, an atomic write whose events cannot
    /// be serialized is rejected (its exception at its index; null where a write succeeded) and the others written.
    /// </summary>
    public async Task<IImmutableList<Exception>> WriteAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken)
    {
        var serialized = _serializer.Serialize(writes, DateTime.UtcNow.Ticks);
        var rejections = new Exception?[serialized.Count];
        var rows = new List<JournalRow>(serialized.Count);
        for (var i = 0; i < serialized.Count; i++)
        {
            if (serialized[i].Failure.HasValue) rejections[i] = serialized[i].Failure.Value;
            else if (_tagTable && serialized[i].Success.Value.Any(row => row.TagArray.Length > 0))
                rejections[i] = new NotSupportedException($"{writes[i].PersistenceId}: tagged events need the tag table, which this journal does not write");
            else rows.AddRange(serialized[i].Success.Value);
        }

        if (rows.Count > 0) await _commits.WriteAsync(rows.ToArray(), cancellationToken);
        return ImmutableList.CreateRange(rejections)!;
    }

    /// <summary>
    /// Removes the row of one event (a message deleted alone, or the row the plugin keeps after deleting a prefix): the
    /// row goes, unless it is its persistent actor's newest, which stays marked deleted, as the plugin's own deletion
    /// keeps it, so that its sequence number is never given out again; either way its payload is gone at once. Reads
    /// skip rows marked deleted.
    /// </summary>
    public async Task DeleteRowAsync(string persistenceId, long sequenceNr, CancellationToken cancellationToken)
    {
        await using var connection = _provider.CreateConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = _deleteOne;
        foreach (var (name, value) in new (string, object)[] { ("@id", persistenceId), ("@nr", sequenceNr), ("@deleted", true), ("@empty", Array.Empty<byte>()) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string DeleteOneStatement(string journal, EntityDescriptor table)
    {
        string Column(string member) => SqlNames.Quote(table.Columns.Single(column => column.MemberName == member).ColumnName);
        var (id, nr) = (Column(nameof(JournalRow.PersistenceId)), Column(nameof(JournalRow.SequenceNumber)));
        return $"UPDATE {journal} SET {Column(nameof(JournalRow.Deleted))} = @deleted, {Column(nameof(JournalRow.Message))} = @empty "
            + $"WHERE {id} = @id AND {nr} = @nr; "
            + $"DELETE FROM {journal} WHERE {id} = @id AND {nr} = @nr AND {nr} < (SELECT MAX({nr}) FROM {journal} WHERE {id} = @id)";
    }

    /// <summary>Writes what is queued, then lets the writer end: the journal stopped.</summary>
    public void Complete() => _commits.Complete();

    private async Task CommitAsync(IReadOnlyList<JournalRow[]> batch)
    {
        await using var connection = _provider.CreateConnection(_connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var rows in batch.SelectMany(write => write).Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Statement(command, rows);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private string Statement(DbCommand command, JournalRow[] rows)
    {
        var sql = new StringBuilder(_insert, _insert.Length + rows.Length * _columns.Length * 6);
        for (var r = 0; r < rows.Length; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{command.Parameters.Count}";
                parameter.Value = _columns[c].GetProviderValue(rows[r]) ?? DBNull.Value;
                command.Parameters.Add(parameter);
                sql.Append(c == 0 ? "" : ", ").Append(parameter.ParameterName);
            }

            sql.Append(')');
        }

        return sql.ToString();
    }
}
