using System.Collections.Frozen;
using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using MailIngest.Actors.Dashboard;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Webhooks;

namespace MailIngest.Actors.Serialization;

/// <summary>
/// JSON serializer with explicit manifests. A manifest is part of the journal's format: never rename one,
/// add a new one and keep reading the old.
/// </summary>
public sealed class MailIngestSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly FrozenDictionary<string, Type> TypesByManifest = new Dictionary<string, Type>
    {
        // Journal and snapshot store: read for as long as such rows may exist.
        ["mbx.stored.v1"] = typeof(MessageStoredV1),
        ["mbx.deletion.v1"] = typeof(MessagesDeletedV1),
        ["mbx.snapshot.v1"] = typeof(MailboxSnapshotV1),
        ["mbx.snapshot.v2"] = typeof(MailboxSnapshotV2),
        ["mbx.snapshot.v3"] = typeof(MailboxSnapshotV3),
        ["mbx.snapshot.v4"] = typeof(MailboxSnapshotV4),
        ["rty.deferred.v1"] = typeof(RetryDeferredV1),
        ["rty.claimed.v1"] = typeof(RetryClaimedV1),
        ["rty.snapshot.v1"] = typeof(RetryLedgerSnapshotV1),
        ["whk.position.v1"] = typeof(WebhookPositionV1),
        // Between nodes only: a new shape gets a new manifest, so nodes of two versions fail loudly, not silently.
        ["mbx.store.v3"] = typeof(StoreMessage),
        ["mbx.defer.v1"] = typeof(DeferTransaction),
        ["mbx.store-ack.v1"] = typeof(StoreMessageAck),
        ["mbx.list.v1"] = typeof(ListMessages),
        ["mbx.list-result.v3"] = typeof(MessageList),
        ["mbx.get.v1"] = typeof(GetMessage),
        ["mbx.get-result.v3"] = typeof(MessageLookup),
        ["mbx.clear.v1"] = typeof(ClearMailbox),
        ["mbx.expire.v1"] = typeof(ExpireMessages),
        ["mbx.delete.v1"] = typeof(DeleteMessage),
        ["mbx.quota.v1"] = typeof(MailboxQuotaChanged),
        ["mbx.deleted.v1"] = typeof(MessagesDeleted),
        ["whk.get-states.v1"] = typeof(GetWebhookStates),
        ["whk.states.v1"] = typeof(WebhookStates),
        ["whk.resume.v1"] = typeof(ResumeWebhook),
        ["whk.resume-result.v1"] = typeof(ResumeWebhookResult),
        ["dash.get-samples.v1"] = typeof(GetNodeSamples),
        ["dash.samples.v1"] = typeof(NodeSamples),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<Type, string> ManifestsByType =
        TypesByManifest.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <inheritdoc />
    public override int Identifier => 4711;

    /// <inheritdoc />
    public override string Manifest(object o) =>
        ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"No manifest registered for {o.GetType()}", nameof(o));

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) =>
        TypesByManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json)
              ?? throw new SerializationException($"Null payload for manifest {manifest}")
            : throw new SerializationException($"Unknown manifest {manifest}");
}
