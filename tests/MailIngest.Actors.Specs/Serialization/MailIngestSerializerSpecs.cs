using Akka.Serialization;
using MailIngest.Actors.Dashboard;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Serialization;
using MailIngest.Actors.Specs.Support;
using MailIngest.Actors.Webhooks;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Serialization;

/// <summary>The JSON serializer as bound by configuration: every registered type survives a round trip under its short manifest.</summary>
public sealed class MailIngestSerializerSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(SpecConfig.Serialization, "mailingest-serializer-spec", output)
{
    private static readonly MessageCopy Copy = Entries.Numbered(42);
    private static readonly StoredMessageV1 Stored = Entries.Stored(42);

    /// <summary>One sample of every type registered in the serializer, with the manifest it must carry.</summary>
    public static TheoryData<string, IMailIngestMessage> Samples => new()
    {
        { "mbx.stored.v1", new MessageStoredV1(Stored) },
        { "mbx.deletion.v1", new MessagesDeletedV1(40, 0) },
        { "mbx.deletion.v1", new MessagesDeletedV1(0, 17) },
        { "mbx.snapshot.v1", new MailboxSnapshotV1([Entries.Stored(1), Stored]) },
        { "mbx.snapshot.v2", new MailboxSnapshotV2(2, [new DedupMark("k1", "Q1", 1), new DedupMark("k2", "Q2", 2)]) },
        { "mbx.snapshot.v3", new MailboxSnapshotV3(3, 2, [new DedupMark("k2", "Q2", 2), new DedupMark("k3", "Q3", 3)]) },
        { "mbx.snapshot.v4", new MailboxSnapshotV4(5, 2, [4], 12_288, [new DedupMark("k3", "Q3", 3), new DedupMark("k5", "Q5", 5)]) },
        { "mbx.clear.v1", new ClearMailbox("alice@example.org") },
        { "mbx.delete.v1", new DeleteMessage("alice@example.org", Copy.Id) },
        { "mbx.quota.v1", new MailboxQuotaChanged("alice@example.org", Full: true) },
        { "mbx.expire.v1", new ExpireMessages("alice@example.org", new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero)) },
        { "mbx.deleted.v1", new MessagesDeleted("alice@example.org", 7) },
        { "mbx.store.v3", new StoreMessage("alice@example.org", Copy) },
        { "mbx.defer.v1", new DeferTransaction("alice@example.org", Copy.Id) },
        { "rty.deferred.v1", new RetryDeferredV1("Q1") },
        { "rty.claimed.v1", new RetryClaimedV1("Q1", "Q2") },
        { "rty.snapshot.v1", new RetryLedgerSnapshotV1(["Q1", "Q3"], [new RetryClaimedV1("Q1", "Q2")]) },
        { "mbx.store-ack.v1", new StoreMessageAck("alice@example.org", Copy.Id, Duplicate: true) },
        { "mbx.list.v1", new ListMessages("alice@example.org", 20, 10) },
        { "mbx.list-result.v3", new MessageList("alice@example.org", 2, [Stored, Entries.Stored(1)]) },
        { "mbx.get.v1", new GetMessage("alice@example.org", Copy.Id) },
        { "mbx.get-result.v3", new MessageLookup("alice@example.org", Stored) },
        { "mbx.get-result.v3", new MessageLookup("alice@example.org", null) },
        { "whk.position.v1", new WebhookPositionV1(1234) },
        { "whk.get-states.v1", new GetWebhookStates() },
        { "whk.states.v1", new WebhookStates([
            new WebhookState("crm", "https://crm.example/hook", "paused", 17, 5, 3, "HTTP 503 Service Unavailable",
                new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), null, new DateTimeOffset(2026, 11, 25, 10, 15, 0, TimeSpan.Zero)),
        ]) },
        { "whk.resume.v1", new ResumeWebhook("crm") },
        { "whk.resume-result.v1", new ResumeWebhookResult(null) },
        { "dash.get-samples.v1", new GetNodeSamples() },
        { "dash.samples.v1", new NodeSamples("akka.tcp://mailingest@10.0.0.5:4053",
            [new DashboardSample(1_700_000_000_000, 12, 3, new Dictionary<int, long> { [451] = 1, [501] = 2 })]) },
        // A null Message-ID and Date must survive as null, not as empty values.
        { "mbx.stored.v1", new MessageStoredV1(Stored with { MessageId = null, Date = null }) },
        {
            "mbx.stored.v1", new MessageStoredV1(Stored with
            {
                Authentication = new AuthenticationV1(
                    new AuthenticationV1.SpfResult("softfail", "sender.example", "matched ~all"),
                    [new AuthenticationV1.DkimResult("pass", "sender.example", "sel", null), new AuthenticationV1.DkimResult("fail", "other.example", "s2", "body hash mismatch")],
                    new AuthenticationV1.DmarcResult("pass", "sender.example", "reject"),
                    new AuthenticationV1.ArcResult("none")),
            })
        },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Serializer_round_trips_every_registered_type_under_its_short_manifest(string manifest, IMailIngestMessage message)
    {
        // Arrange
        var serializer = Sys.Serialization.FindSerializerFor(message);

        // Act
        var bytes = serializer.ToBinary(message);
        var actualManifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        var restored = Sys.Serialization.Deserialize(bytes, serializer.Identifier, actualManifest);

        // Assert
        Assert.IsType<MailIngestSerializer>(serializer);
        Assert.Equal(4711, serializer.Identifier);
        Assert.Equal(manifest, actualManifest);
        Assert.IsType(message.GetType(), restored);
        Assert.Equivalent(message, restored, strict: true);
    }

    [Fact]
    public void Serializer_has_a_manifest_for_every_message_type()
    {
        // Arrange
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(IMailIngestMessage));
        var messageTypes = typeof(IMailIngestMessage).Assembly.GetTypes()
            .Where(type => typeof(IMailIngestMessage).IsAssignableFrom(type) && type is { IsClass: true, IsAbstract: false });

        // Act
        var unregistered = messageTypes
            .Where(type => !HasManifest(serializer, type))
            .Select(type => type.FullName)
            .ToArray();

        // Assert: a type bound to the serializer without a manifest fails only when first sent or persisted.
        Assert.Empty(unregistered);
    }

    [Fact]
    public void Serializer_rejects_an_unknown_manifest()
    {
        // Arrange
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerForType(typeof(IMailIngestMessage));

        // Act
        var error = Record.Exception(() => serializer.FromBinary("{}"u8.ToArray(), "mbx.unknown.v1"));

        // Assert
        Assert.IsType<System.Runtime.Serialization.SerializationException>(error);
    }

    private static bool HasManifest(SerializerWithStringManifest serializer, Type type)
    {
        var sample = System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type);
        try
        {
            return serializer.Manifest(sample).Length > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
