using MailIngest.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailIngest.Deploy.Tests;

/// <summary>The image's publish output and entry point, run without a container with the Dockerfile's own arguments.</summary>
[Collection(ContainerImageCollection.Name)]
public sealed class PublishAndStartTests(ContainerImage image)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Published_host_answers_healthz_and_greets_on_smtp()
    {
        var dockerfile = Dockerfile.Load();
        var dataDirectory = Directory.CreateTempSubdirectory("mailingest-data-");
        try
        {
            var (smtpPort, adminPort, clusterPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
            var log = new ConcurrentQueue<string>();
            using var host = Start(dockerfile.Entrypoint, image.PublishedApp, log, new Dictionary<string, string>
            {
                ["MailIngest__Smtp__Port"] = smtpPort.ToString(),
                ["MailIngest__Admin__Port"] = adminPort.ToString(),
                ["MailIngest__Cluster__Port"] = clusterPort.ToString(),
                ["MailIngest__Storage__DataDirectory"] = dataDirectory.FullName,
                // No DNS query may leave the machine (the default mode asks the system's resolver).
                ["MailIngest__Authentication__Mode"] = "Off",
            });
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"), Timeout = TimeSpan.FromSeconds(2) };
                await Readiness.WaitAsync(http, "/healthz", StartTimeout, () => string.Join('\n', log), () => host.HasExited);

                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, smtpPort);
                using var reader = new StreamReader(client.GetStream());
                var greeting = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
                Assert.StartsWith("220 ", greeting);
            }
            finally
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }
        }
        finally
        {
            dataDirectory.Delete(recursive: true);
        }
    }
    private static Process Start(IReadOnlyList<string> entrypoint, string workingDirectory, ConcurrentQueue<string> log,
        Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(entrypoint[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in entrypoint.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("the host did not start");
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
