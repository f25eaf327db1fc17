namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Storage.</summary>
public sealed class StorageSettings
{
    /// <summary>Sqlite (embedded, single node) or PostgreSql (cluster).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Folder for the SQLite file and the spool; created on start.</summary>
    public string DataDirectory { get; set; } = "./data";

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
