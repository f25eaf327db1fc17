namespace MailIngest.Actors.Serialization;

/// <summary>
/// Marker for every message and event that crosses a node or reaches the journal. Bound to
/// <see cref="MailIngestSerializer"/> so stored events carry short, stable manifests instead of CLR type names.
/// </summary>
public interface IMailIngestMessage;
