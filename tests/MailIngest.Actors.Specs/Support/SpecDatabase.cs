using Microsoft.Data.Sqlite;

namespace MailIngest.Actors.Specs.Support;

/// <summary>
/// A temporary directory holding one spec's SQLite files: the journal (with snapshots) and the content store.
/// Deleted when the spec ends.
/// </summary>
public sealed class SpecDatabase : IDisposable
{
    /// <summary>Creates an empty directory under the system temp path.</summary>
    public SpecDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "mailingest-specs-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The spec's directory.</summary>
    public string Directory { get; }

    /// <summary>Journal and snapshot store file.</summary>
    public string JournalFile => Path.Combine(Directory, "journal.db");

    /// <summary>Content store file, separate so the journal can be made read-only on its own.</summary>
    public string ContentFile => Path.Combine(Directory, "content.db");

    /// <summary>Where sessions spool large messages.</summary>
    public string SpoolDirectory => Path.Combine(Directory, "spool");

    /// <summary>Writable connection to the journal file.</summary>
    public string JournalConnectionString => new SqliteConnectionStringBuilder { DataSource = JournalFile, Pooling = false }.ToString();

    /// <summary>The journal file opened read-only: every write fails with "attempt to write a readonly database".</summary>
    public string ReadOnlyJournalConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = JournalFile,
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = false,
    }.ToString();

    /// <summary>Writable connection to the content file.</summary>
    public string ContentConnectionString => new SqliteConnectionStringBuilder { DataSource = ContentFile, Pooling = false }.ToString();

    /// <summary>Runs a scalar query against the journal file.</summary>
    public long CountJournal(string sql) => Count(JournalConnectionString, sql);

    /// <summary>Runs a scalar query against the content file.</summary>
    public long CountContent(string sql) => Count(ContentConnectionString, sql);

    /// <summary>Every value of one text column, in row order.</summary>
    public IReadOnlyList<string> JournalStrings(string sql)
    {
        using var connection = new SqliteConnection(JournalConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A plugin connection still closing; the OS temp cleaner takes what is left.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static long Count(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }
}
