namespace MailIngest.Deploy.Tests;

/// <summary>
/// The tests that run the published app or its image share one publish and one build of the image (about 45 s) and run
/// one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ContainerImageCollection : ICollectionFixture<ContainerImage>
{
    /// <summary>The collection name.</summary>
    public const string Name = "container-image";
}
