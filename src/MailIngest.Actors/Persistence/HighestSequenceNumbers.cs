using System.Data.Common;
using System.Text;
using Akka.Persistence.Sql.Config;
using LinqToDB.DataProvider;

namespace MailIngest.Actors.Persistence;

/// <summary>
/// Answers "highest sequence number of this persistence id", the one query a recovering mailbox makes, for every
/// id asked at about the same time with one statement. Only one statement runs at a time; ids asked meanwhile wait
/// and go together in the next. Idle, an id is asked alone at once; under load the batch grows with the number of
/// entities starting, not the number of statements (every message to a new address starts one).
/// </summary>
internal sealed class HighestSequenceNumbers
{
    // Bounds the statement's parameter list (SQLite allows 32 766, PostgreSQL 65 535).
    private const int MaxBatch = 500;

    private readonly IDataProvider _provider;
    private readonly string _connectionString;
    private readonly string _select;
    private readonly CancellationToken _shutdown;
    private readonly object _gate = new();
    private Dictionary<string, TaskCompletionSource<long>> _waiting = new(StringComparer.Ordinal);
    private bool _reading;

    /// <summary>
    /// Reads the journal table that <paramref name="config"/> names through the plugin's <paramref name="provider"/>,
    /// until <paramref name="shutdown"/>.
    /// </summary>
    public HighestSequenceNumbers(JournalConfig config, IDataProvider provider, CancellationToken shutdown)
    {
        // The statement is plain SQL, not a LINQ expression that would be translated again for every batch size (that
        // translation cost as much as the query it saved).
        _provider = provider;
        _connectionString = config.ConnectionString;
        var columns = config.TableConfig.EventJournalTable.ColumnNames;
        var id = SqlNames.Quote(columns.PersistenceId);
        // Rows marked deleted still count: a sequence number is never given out twice.
        _select = $"SELECT {id}, MAX({SqlNames.Quote(columns.SequenceNumber)}) FROM {SqlNames.JournalTable(config)} WHERE {id} IN ";
        _shutdown = shutdown;
    }

    /// <summary>The highest sequence number written for <paramref name="persistenceId"/>, 0 when it has none.</summary>
    public Task<long> ReadAsync(string persistenceId)
    {
        lock (_gate)
        {
            if (!_waiting.TryGetValue(persistenceId, out var answer))
            {
                answer = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add(persistenceId, answer);
            }

            if (!_reading)
            {
                _reading = true;
                _ = Task.Run(ReadLoopAsync);
            }

            return answer.Task;
        }
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            Dictionary<string, TaskCompletionSource<long>> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _reading = false;
                    return;
                }

                batch = _waiting;
                _waiting = new Dictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
            }

            foreach (var ids in batch.Keys.Chunk(MaxBatch))
            {
                try
                {
                    var found = await QueryAsync(ids);
                    foreach (var id in ids) batch[id].TrySetResult(found.GetValueOrDefault(id));
                }
                catch (Exception error)
                {
                    foreach (var id in ids) batch[id].TrySetException(error);
                }
            }
        }
    }

    private async Task<Dictionary<string, long>> QueryAsync(string[] ids)
    {
        await using var connection = _provider.CreateConnection(_connectionString);
        await connection.OpenAsync(_shutdown);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder(_select).Append('(');
        for (var i = 0; i < ids.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            parameter.Value = ids[i];
            command.Parameters.Add(parameter);
            sql.Append(i == 0 ? "" : ",").Append(parameter.ParameterName);
        }

        command.CommandText = sql.Append(") GROUP BY 1").ToString();
        var found = new Dictionary<string, long>(ids.Length, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(_shutdown);
        while (await reader.ReadAsync(_shutdown)) found[reader.GetString(0)] = reader.GetInt64(1);
        return found;
    }
}
