using System.Text.Json.Nodes;

namespace MailIngest.Deploy.Tests;

[Collection(DeployToolsCollection.Name)]
public sealed class DeployFilesTests(DeployTools tools)
{
    [Fact]
    public void Plain_manifests_are_up_to_date_with_the_chart()
    {
        var output = Directory.CreateTempSubdirectory("mailingest-manifests-");
        try
        {
            var result = ProcessRunner.Run("bash", [Path.Combine(RepositoryPaths.Deploy, "render-manifests.sh"), output.FullName],
                TimeSpan.FromMinutes(1), environment: new Dictionary<string, string> { ["HELM"] = tools.HelmPath });
            Assert.True(result.ExitCode == 0, result.Output);

            var committed = Path.Combine(RepositoryPaths.Deploy, "kubernetes");
            Assert.Equal(FileNames(output.FullName), FileNames(committed));
            foreach (var name in FileNames(output.FullName))
            {
                Assert.True(
                    File.ReadAllText(Path.Combine(output.FullName, name)) == File.ReadAllText(Path.Combine(committed, name)),
                    $"deploy/kubernetes/{name} differs from the chart: run deploy/render-manifests.sh and commit");
            }
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void Plain_manifests_match_the_Kubernetes_schema()
    {
        var manifests = string.Join("\n", FileNames(Path.Combine(RepositoryPaths.Deploy, "kubernetes"))
            .Select(name => File.ReadAllText(Path.Combine(RepositoryPaths.Deploy, "kubernetes", name))));

        var validation = tools.ValidateSchema(manifests);

        Assert.True(validation.ExitCode == 0, validation.Output);
        Assert.Contains("StatefulSet", manifests);
    }

    [Fact]
    public void Dockerfile_and_compose_set_only_configuration_keys_of_the_host()
    {
        var compose = YamlDocuments.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Deploy, "compose.yaml"))).Single();
        var composeNames = ((JsonObject)compose["x-node-environment"]!).Select(pair => pair.Key)
            .Concat(compose["services"]!.AsObject()
                .SelectMany(service => service.Value!["environment"]?.AsObject().Select(pair => pair.Key) ?? []));
        var names = Dockerfile.Load().Environment.Keys.Concat(composeNames)
            .Where(name => name.StartsWith(ConfigurationKeys.Prefix, StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(ConfigurationKeys.Resolve(name) is not null, $"{name} is not a key of MailIngestSettings"));
    }

    [Fact]
    public void Image_runs_as_non_root_exposes_the_chart_ports_and_leaves_health_checks_to_Kubernetes()
    {
        var dockerfile = Dockerfile.Load();
        var chart = Chart.Template(tools, "mailingest", "mail");

        Assert.Equal("$APP_UID", dockerfile.Instructions.Last(i => i.Instruction == "USER").Arguments);
        Assert.DoesNotContain(dockerfile.Instructions, i => i.Instruction == "HEALTHCHECK");
        var exposed = dockerfile.Instructions.Single(i => i.Instruction == "EXPOSE").Arguments.Split(' ').Select(long.Parse);
        var containerPorts = chart.Container["ports"]!.AsArray().Select(p => (long)p!["containerPort"]!);
        Assert.Equal(containerPorts.Order(), exposed.Order());
        Assert.Equal(dockerfile.Environment["MailIngest__Storage__DataDirectory"],
            (string?)chart.Environment["MailIngest__Storage__DataDirectory"]);
    }

    private static List<string> FileNames(string directory) =>
        Directory.GetFiles(directory, "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
}
