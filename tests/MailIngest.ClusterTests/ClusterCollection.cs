namespace MailIngest.ClusterTests;

/// <summary>
/// The cluster scenarios share one PostgreSQL server and run one after another: each starts three or four
/// node processes, and CI has two cores.
/// </summary>
/// <remarks>
/// Two collections side by side were tried (the scenarios that stop PostgreSQL or spin every core in one, with a
/// server of their own): on two cores the whole suite took 555–710 s against 639–756 s like this, within the
/// machine's noise, because the other test projects slowed down as much as this one sped up; and the saturation
/// scenario had to be kept from overlapping any other cluster, whose starved nodes were rightly downed.
/// </remarks>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
