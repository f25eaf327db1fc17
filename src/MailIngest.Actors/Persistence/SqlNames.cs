using Akka.Persistence.Sql.Config;

namespace MailIngest.Actors.Persistence;

/// <summary>Names in the statements the node's journal writes itself, as the plugin's configuration gives them.</summary>
internal static class SqlNames
{
    /// <summary>The journal table, with its schema when the configuration names one.</summary>
    public static string JournalTable(JournalConfig config) =>
        (config.TableConfig.SchemaName is { Length: > 0 } schema ? Quote(schema) + "." : "") + Quote(config.TableConfig.EventJournalTable.Name);

    /// <summary>Double quotes name an identifier in SQLite and PostgreSQL alike, whatever its case.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
