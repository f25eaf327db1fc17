using MailIngest.Testing;
using System.Text.Json;

namespace MailIngest.Deploy.Tests;

/// <summary>
/// The image as Kubernetes runs it: a non-root user, a read-only root filesystem, the data volume and a tmpfs for
/// /tmp. It takes mail (swaks), serves it back, is ready, and drains and exits 0 on SIGTERM (podman stop).
/// The container shares the host's network (netns = "host" in the tests' containers.conf); every port is on 127.0.0.1.
/// </summary>
[Collection(ContainerImageCollection.Name)]
public sealed class ContainerImageTests(ContainerImage image)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Image_runs_non_root_on_a_read_only_root_takes_mail_and_drains_to_exit_0_on_SIGTERM()
    {
        var name = $"mailingest-test-{Guid.NewGuid():N}";
        var data = Directory.CreateTempSubdirectory("mailingest-volume-");
        var (smtp, admin) = (FreePort.Next(), FreePort.Next());
        try
        {
            // The image's app user (UID 1654) owns the volume, as a Kubernetes fsGroup would arrange.
            Assert.Equal(0, ProcessRunner.Run("chown", ["1654", data.FullName], CommandTimeout).ExitCode);
            var run = Podman.Run(
            [
                "run", "-d", "--name", name, "--user", "1654", "--read-only", "--tmpfs", "/tmp", "-v", $"{data.FullName}:/var/lib/mailingest",
                "-e", "MailIngest__Smtp__BindAddress=127.0.0.1", "-e", $"MailIngest__Smtp__Port={smtp}",
                "-e", "MailIngest__Admin__BindAddress=127.0.0.1", "-e", $"MailIngest__Admin__Port={admin}",
                "-e", "MailIngest__Cluster__HostName=127.0.0.1", "-e", "MailIngest__Cluster__Port=0",
                "-e", "MailIngest__Smtp__HostName=mx.container.test",
                // No DNS query may leave the machine (the default mode asks the system's resolver).
                "-e", "MailIngest__Authentication__Mode=Off", image.Tag,
            ], CommandTimeout);
            Assert.True(run.ExitCode == 0, run.Output);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{admin}"), Timeout = TimeSpan.FromSeconds(10) };
            await Readiness.WaitAsync(http, "/readyz", TimeSpan.FromSeconds(90), () => Podman.Logs(name));

            var swaks = ProcessRunner.Run("swaks",
                ["--server", $"127.0.0.1:{smtp}", "--to", "container@example.com", "--from", "swaks@example.org", "--header", "Subject: from a container test"],
                CommandTimeout);
            Assert.True(swaks.ExitCode == 0, swaks.Output);
            Assert.Contains("mx.container.test ESMTP MailIngest", swaks.Output);
            var page = JsonDocument.Parse(await http.GetStringAsync("/api/mailboxes/container@example.com/messages")).RootElement;
            Assert.Equal("from a container test", page.GetProperty("items")[0].GetProperty("subject").GetString());

            var stop = Podman.Run(["stop", "--time", "60", name], CommandTimeout);
            Assert.True(stop.ExitCode == 0, stop.Output);
            var exitCode = Podman.Run(["inspect", name, "--format", "{{.State.ExitCode}}"], CommandTimeout).StandardOutput.Trim();
            var logs = Podman.Logs(name);
            Assert.True(exitCode == "0", $"exit code {exitCode}:\n{logs}");
            Assert.Contains("SMTP sessions drained", logs);
            Assert.NotEmpty(Directory.GetFiles(data.FullName, "*.db"));
        }
        finally
        {
            Podman.Run(["rm", "-f", name], CommandTimeout);
            data.Delete(recursive: true);
        }
    }
}
