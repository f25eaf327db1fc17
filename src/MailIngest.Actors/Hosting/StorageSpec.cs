namespace MailIngest.Actors.Hosting;

/// <summary>Where journal, snapshots and content live.</summary>
/// <param name="ProviderName">linq2db provider name: "SQLite.MS" or "PostgreSQL.15".</param>
/// <param name="ConnectionString">ADO.NET connection string.</param>
public sealed record StorageSpec(string ProviderName, string ConnectionString)
{
    /// <summary>linq2db's name for Microsoft.Data.Sqlite.</summary>
    public const string Sqlite = "SQLite.MS";

    /// <summary>linq2db's name for Npgsql against PostgreSQL 15+.</summary>
    public const string PostgreSql = "PostgreSQL.15";
}
