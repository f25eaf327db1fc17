using Microsoft.Data.Sqlite;

namespace MailIngest.Actors.Storage.Sqlite;

/// <summary>The write mode of the SQLite journal and snapshot files, set before the plugins open them.</summary>
public static class SqliteWriteAheadLog
{
    /// <summary>
    /// Puts the file in write-ahead-log mode (a property of the file: it sticks). In the default rollback mode every
    /// commit writes and syncs a journal file, then the database, then deletes the journal; in WAL mode a commit
    /// appends to one file and syncs it once (synchronous stays FULL: a 250 depends on that sync).
    /// </summary>
    public static async Task EnableAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
