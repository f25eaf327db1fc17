namespace MailIngest.Deploy.Tests;

/// <summary>Paths inside the repository, found by walking up from the test binaries to MailIngest.sln.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Helm chart.</summary>
    public static string Chart => Path.Combine(Root, "helm", "mailingest");

    /// <summary>The chart's CI value sets, each rendered, linted and validated by the tests.</summary>
    public static string ChartCiValues => Path.Combine(Chart, "ci");

    /// <summary>The deploy folder (Dockerfile, compose file, plain manifests).</summary>
    public static string Deploy => Path.Combine(Root, "deploy");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MailIngest.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MailIngest.sln not found above {AppContext.BaseDirectory}");
    }
}
