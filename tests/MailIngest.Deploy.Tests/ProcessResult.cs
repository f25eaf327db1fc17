namespace MailIngest.Deploy.Tests;

/// <summary>Exit code and captured output of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public string Output => $"{StandardOutput}\n{StandardError}";

    /// <summary>The standard output of a run that exited 0; otherwise throws, naming <paramref name="what"/> and the output.</summary>
    public string Succeeded(string what) =>
        ExitCode == 0 ? StandardOutput : throw new InvalidOperationException($"{what} failed with {ExitCode}:\n{Output}");
}
