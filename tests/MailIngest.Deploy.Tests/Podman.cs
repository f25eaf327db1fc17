namespace MailIngest.Deploy.Tests;

/// <summary>
/// podman as the deploy tests run it: with the settings these machines need (containers.conf beside the tests, through
/// CONTAINERS_CONF), so that a fresh machine needs no global podman configuration.
/// </summary>
public static class Podman
{
    /// <summary>The containers.conf copied next to the test assembly.</summary>
    public static string ConfigurationFile => Path.Combine(AppContext.BaseDirectory, "containers.conf");

    /// <summary>The environment for podman itself and for scripts that call it (deploy/podman-base.sh).</summary>
    public static IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["CONTAINERS_CONF"] = ConfigurationFile };

    /// <summary>Runs podman with <paramref name="arguments"/>; kills it after <paramref name="timeout"/>.</summary>
    public static ProcessResult Run(IEnumerable<string> arguments, TimeSpan timeout) =>
        ProcessRunner.Run("podman", arguments, timeout, environment: Environment);

    /// <summary>What the container <paramref name="name"/> wrote, for failure messages.</summary>
    public static string Logs(string name) => Run(["logs", name], TimeSpan.FromMinutes(2)).Output;
}
