namespace MailIngest.ClusterTests;

/// <summary>
/// The scenarios that take away what the others share run in a collection of their own, beside
/// <see cref="ClusterCollection"/> instead of after it, which halves the cluster tests' wall time: chaos and the
/// database outage stop PostgreSQL (this collection has a server of its own), and the saturation scenario burns every
/// core (it takes turns with the other collection's scenarios through <see cref="CpuExclusive"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class DisruptiveCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster-disruptive";
}
