using System.Text.Json;
using MailIngest.Testing;

namespace MailIngest.Deploy.Tests;

/// <summary>
/// Three containers of the image on a podman network of the test's own, each seeded with the others' container DNS
/// names (as the StatefulSet's pod names are), form one cluster on PostgreSQL (the test's throwaway server, listening
/// on that network's gateway) and deliver: mail sent to any container is read back through another.
/// </summary>
[Collection(ContainerImageCollection.Name)]
public sealed class ContainerClusterTests(ContainerImage image) : IAsyncLifetime
{
    private const int Nodes = 3;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _containers = [];
    private PostgresServer? _postgres;

    private string Network => $"mailingest-test-{_id}";

    public Task InitializeAsync()
    {
        Podman.Run(["network", "create", Network], CommandTimeout).Succeeded("podman network create");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var container in _containers) Podman.Run(["rm", "-f", container], CommandTimeout);
        Podman.Run(["network", "rm", "-f", Network], CommandTimeout);
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Three_containers_seeded_by_dns_names_form_a_cluster_on_postgresql_and_deliver()
    {
        var network = JsonDocument.Parse(Podman.Run(["network", "inspect", Network], CommandTimeout).Succeeded("inspect")).RootElement[0]
            .GetProperty("subnets")[0];
        var gateway = network.GetProperty("gateway").GetString()!;
        // The network's bridge (and so its gateway address) exists only once a container is attached to it: a
        // placeholder holds it up so that PostgreSQL can listen there before the nodes start.
        var holder = $"mailingest-{_id}-holder";
        Podman.Run(["run", "-d", "--name", holder, "--network", Network, "--entrypoint", "sleep", image.Tag, "600"], CommandTimeout).Succeeded("placeholder");
        _containers.Add(holder);
        _postgres = await PostgresServer.StartAsync(new BridgeAccess(gateway, network.GetProperty("subnet").GetString()!));
        var connection = (await _postgres.CreateDatabaseAsync("containers")).Replace("Host=127.0.0.1", $"Host={gateway}", StringComparison.Ordinal);
        var names = Enumerable.Range(0, Nodes).Select(i => $"mailingest-{_id}-{i}").ToArray();
        var seeds = names.SelectMany((name, i) => new[] { "-e", $"MailIngest__Cluster__Seeds__{i}={name}:4053" }).ToArray();
        foreach (var name in names)
        {
            Podman.Run(
            [
                "run", "-d", "--name", name, "--network", Network, "--user", "1654", "--read-only", "--tmpfs", "/tmp",
                "-e", "MailIngest__Storage__Provider=PostgreSql", "-e", $"MailIngest__Storage__ConnectionString={connection}",
                "-e", $"MailIngest__Cluster__PublicHostName={name}", "-e", "MailIngest__Smtp__AcceptedDomains__0=example.com",
                "-e", "MailIngest__Authentication__Mode=Off",
                .. seeds, image.Tag,
            ], CommandTimeout).Succeeded("podman run");
            _containers.Add(name);
        }

        // The test reaches each container at its address on the network it created.
        var addresses = names.Select(name => Podman.Run(
            ["inspect", name, "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"], CommandTimeout).Succeeded("inspect").Trim()).ToArray();
        var admins = addresses.Select(address => new HttpClient { BaseAddress = new Uri($"http://{address}:8080"), Timeout = TimeSpan.FromSeconds(10) }).ToArray();
        try
        {
            foreach (var (admin, name) in admins.Zip(names))
            {
                await Readiness.WaitAsync(admin, "/readyz", TimeSpan.FromSeconds(120), () => Podman.Logs(name));
                await Eventually.ValueAsync($"{Nodes} members Up in {name}'s /status",
                    async () => JsonDocument.Parse(await admin.GetStringAsync("/status")).RootElement.GetProperty("members").EnumerateArray().ToArray(),
                    members => members.Length == Nodes && members.All(member => member.GetProperty("status").GetString() == "Up"),
                    TimeSpan.FromSeconds(120), members => $"members: {string.Join(", ", members.Select(member => member.GetProperty("status")))}\n{Podman.Logs(name)}",
                    TimeSpan.FromMilliseconds(500));
            }

            for (var i = 0; i < Nodes; i++)
            {
                var swaks = ProcessRunner.Run("swaks",
                    ["--server", $"{addresses[i]}:2525", "--to", $"node{i}@example.com", "--from", "swaks@example.org", "--header", $"Subject: via node {i}"],
                    CommandTimeout);
                Assert.True(swaks.ExitCode == 0, swaks.Output);
            }

            for (var i = 0; i < Nodes; i++)
            {
                var reader = admins[(i + 1) % Nodes];
                var page = JsonDocument.Parse(await reader.GetStringAsync($"/api/mailboxes/node{i}@example.com/messages")).RootElement;
                Assert.Equal($"via node {i}", page.GetProperty("items")[0].GetProperty("subject").GetString());
            }
        }
        finally
        {
            foreach (var admin in admins) admin.Dispose();
        }
    }
}
