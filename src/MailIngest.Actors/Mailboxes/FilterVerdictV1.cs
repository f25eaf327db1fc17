using System.Text.Json.Serialization;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// What one milter did with a stored message, as the journal holds it and every API shows it ("filters"): a
/// versioned contract inside <see cref="StoredMessageV1"/>. Never change a field's meaning.
/// </summary>
/// <param name="Name">The milter's configured name.</param>
/// <param name="Action">accept or quarantine (a message refused or discarded is not stored).</param>
/// <param name="HeadersAdded">Fields the milter added or inserted, "Name: value".</param>
/// <param name="HeadersChanged">Fields the milter changed ("Name: value") or deleted ("Name:").</param>
/// <param name="Reason">The quarantine reason.</param>
/// <param name="Failure">How the milter failed when its default action let the message in unfiltered.</param>
public sealed record FilterVerdictV1(
    string Name,
    string Action,
    IReadOnlyList<string> HeadersAdded,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] IReadOnlyList<string>? HeadersChanged = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] string? Failure = null);
