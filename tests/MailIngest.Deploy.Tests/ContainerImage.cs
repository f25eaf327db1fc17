namespace MailIngest.Deploy.Tests;

/// <summary>
/// deploy/Dockerfile built for real with podman and no registry: the runtime base from deploy/podman-base.sh
/// (debootstrap plus this machine's ASP.NET Core runtime), the app from the Dockerfile's own publish step.
/// Built once for the tests that share this fixture.
/// </summary>
public sealed class ContainerImage : IDisposable
{
    private const string ImageTag = "localhost/mailingest:deploy-tests";

    private const string BaseTag = "localhost/mailingest-base:deploy-tests";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private readonly DirectoryInfo _context = Directory.CreateTempSubdirectory("mailingest-image-");

    /// <summary>Builds the base, publishes the app into the build context and builds the image.</summary>
    public ContainerImage()
    {
        ProcessRunner.Run("bash", [Path.Combine(RepositoryPaths.Deploy, "podman-base.sh"), BaseTag], BuildTimeout).Succeeded("podman-base.sh");
        ProcessRunner.Run("dotnet", Dockerfile.Load().PublishArgumentsTo(Path.Combine(_context.FullName, "app")), BuildTimeout).Succeeded("dotnet publish");
        ProcessRunner.Run("podman",
            ["build", "-f", Path.Combine(RepositoryPaths.Deploy, "Dockerfile"), "--build-arg", $"RUNTIME_IMAGE={BaseTag}",
             "--build-arg", "APP_SOURCE=prebuilt", "-t", ImageTag, _context.FullName], BuildTimeout).Succeeded("podman build");
    }

    /// <summary>The image under test, built.</summary>
    public string Tag => ImageTag;

    /// <summary>Removes the build context; the images stay for a later run to replace.</summary>
    public void Dispose() => _context.Delete(recursive: true);
}
