namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Marker for every message and event that crosses a node or reaches the journal. Bound to
/// the MailIngest serializer (Serialization/) so stored events carry short, stable manifests instead of CLR
/// type names. It lives here because the mailbox messages came first (the dashboard's node-to-node messages use it
/// too); serialization depends on mailboxes, not the other way round.
/// </summary>
public interface IMailIngestMessage;
