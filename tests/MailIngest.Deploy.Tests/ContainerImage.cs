namespace MailIngest.Deploy.Tests;

/// <summary>
/// The app published once with the Dockerfile's own publish arguments, and deploy/Dockerfile built from that output
/// for real with podman and no registry: the runtime base from deploy/podman-base.sh (debootstrap plus this
/// machine's ASP.NET Core runtime). The tests that share this fixture run the published app without a container, and
/// the image; the image is built when a test first asks for it, so a podman failure fails only the container tests.
/// </summary>
public sealed class ContainerImage : IDisposable
{
    private const string ImageTag = "localhost/mailingest:deploy-tests";

    private const string BaseTag = "localhost/mailingest-base:deploy-tests";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);
    private readonly DirectoryInfo _context = Directory.CreateTempSubdirectory("mailingest-image-");
    private readonly Lazy<string> _image;

    /// <summary>Publishes the app into the build context.</summary>
    public ContainerImage()
    {
        PublishedApp = Path.Combine(_context.FullName, "app");
        ProcessRunner.Run("dotnet", Dockerfile.Load().PublishArgumentsTo(PublishedApp), BuildTimeout).Succeeded("dotnet publish");
        _image = new Lazy<string>(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The Dockerfile's publish output (what the image holds in /app).</summary>
    public string PublishedApp { get; }

    /// <summary>The image under test, built on first use.</summary>
    public string Tag => _image.Value;

    /// <summary>Removes the build context; the images stay for a later run to replace.</summary>
    public void Dispose() => _context.Delete(recursive: true);

    private string Build()
    {
        ProcessRunner.Run("bash", [Path.Combine(RepositoryPaths.Deploy, "podman-base.sh"), BaseTag], BuildTimeout, environment: Podman.Environment)
            .Succeeded("podman-base.sh");
        Podman.Run(
            ["build", "-f", Path.Combine(RepositoryPaths.Deploy, "Dockerfile"), "--build-arg", $"RUNTIME_IMAGE={BaseTag}",
             "--build-arg", "APP_SOURCE=prebuilt", "-t", ImageTag, _context.FullName], BuildTimeout).Succeeded("podman build");
        return ImageTag;
    }
}
