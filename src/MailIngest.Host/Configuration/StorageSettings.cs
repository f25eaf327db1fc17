namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Storage.</summary>
public sealed class StorageSettings
{
    /// <summary>Sqlite (embedded, single node) or PostgreSql (cluster).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Folder for the SQLite file and the spool; created on start.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// Free space the data directory's volume keeps: below it the node answers RCPT with 452 4.3.1 and /readyz with 503,
    /// so the journal and deletions still have room (Postfix's queue_minfree). 0 turns the check off.
    /// </summary>
    public long MinFreeBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Connection string; for SQLite defaults to a file in <see cref="DataDirectory"/>.</summary>
    public string ConnectionString { get; set; } = "";
}

/// <summary>Supported stores.</summary>
public enum StorageProvider
{
    /// <summary>An SQLite file.</summary>
    Sqlite,
    /// <summary>A PostgreSQL server.</summary>
    PostgreSql,
}
