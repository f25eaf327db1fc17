namespace MailIngest.Testing;

/// <summary>One SMTP transaction through Debian's swaks, a real client, against a node's SMTP port.</summary>
public static class Swaks
{
    /// <summary>
    /// Sends a message with <paramref name="subject"/> (and <paramref name="headers"/>, "Name: value" each) to
    /// <paramref name="to"/> (comma-separated for several); returns swaks's exit code (non-zero on a refusal) and its transcript.
    /// </summary>
    public static Task<(int ExitCode, string Output)> SendAsync(int port, string to, string subject, string from = "tester@example.org",
        string body = "test", params string[] headers) =>
        ExternalTool.RunAsync("swaks",
        [
            "--server", "127.0.0.1", "--port", port.ToString(), "--to", to, "--from", from,
            "--header", $"Subject: {subject}", .. headers.SelectMany(header => new[] { "--header", header }), "--body", body,
        ]);

    /// <summary>As <see cref="SendAsync"/>, failing the test with the transcript unless the message was accepted.</summary>
    public static async Task SendAcceptedAsync(int port, string to, string subject, string from = "tester@example.org",
        string body = "test", params string[] headers)
    {
        var (exitCode, output) = await SendAsync(port, to, subject, from, body, headers);
        Assert.True(exitCode == 0, output);
    }
}
