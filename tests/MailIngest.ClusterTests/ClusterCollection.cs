namespace MailIngest.ClusterTests;

/// <summary>
/// Most cluster scenarios share one PostgreSQL server and run one after another: each starts three or four node
/// processes, and CI has two cores. The scenarios that stop the server are in <see cref="DatabaseRestartCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
