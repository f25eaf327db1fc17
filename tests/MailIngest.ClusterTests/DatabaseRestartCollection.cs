namespace MailIngest.ClusterTests;

/// <summary>
/// The scenarios that stop and start PostgreSQL (chaos, database outage) get a server of their own, so they can
/// run beside <see cref="ClusterCollection"/> instead of after it; that halves the cluster tests' wall time. They
/// check loss and recovery, not timing, so sharing the cores with the other collection only slows them down.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DatabaseRestartCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster-database-restart";
}
