using System.Diagnostics;

namespace MailIngest.Testing;

/// <summary>Runs a command-line client (swaks, curl, python3) and returns its exit code and output.</summary>
public static class ExternalTool
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="arguments"/>, feeding <paramref name="input"/> on stdin,
    /// in <paramref name="workingDirectory"/> when given.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string? input = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        using var process = Process.Start(start)
                            ?? throw new InvalidOperationException($"{file} did not start; .ci/run installs it (see README)");
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
