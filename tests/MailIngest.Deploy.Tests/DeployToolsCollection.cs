namespace MailIngest.Deploy.Tests;

/// <summary>Tests that share one <see cref="DeployTools"/> (one download, one install).</summary>
[CollectionDefinition(Name)]
public sealed class DeployToolsCollection : ICollectionFixture<DeployTools>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "deploy tools";
}
