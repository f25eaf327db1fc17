namespace MailIngest.ClusterTests;

/// <summary>
/// The cluster scenarios share one PostgreSQL server and run one after another: each starts three or four
/// node processes, and CI has two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
