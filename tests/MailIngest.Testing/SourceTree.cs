namespace MailIngest.Testing;

/// <summary>The repository the tests were built from.</summary>
public static class SourceTree
{
    /// <summary>The folder holding MailIngest.sln, found upwards from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MailIngest.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("MailIngest.sln not found above " + AppContext.BaseDirectory);
    }
}
