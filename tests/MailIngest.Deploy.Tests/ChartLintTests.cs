namespace MailIngest.Deploy.Tests;

[Collection(DeployToolsCollection.Name)]
public sealed class ChartLintTests(DeployTools tools)
{
    [Theory]
    [MemberData(nameof(ChartValueSets.Names), MemberType = typeof(ChartValueSets))]
    public void Chart_passes_strict_lint_with_value_set(string valueSet)
    {
        var result = tools.Helm(["lint", "--strict", RepositoryPaths.Chart, .. ChartValueSets.Arguments(valueSet)]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("0 chart(s) failed", result.StandardOutput);
    }

    [Fact]
    public void Chart_ships_the_three_value_sets_the_issue_asks_for()
    {
        var names = ChartValueSets.CiFiles.Select(Path.GetFileName).ToList();

        Assert.Contains("single-node-sqlite-values.yaml", names);
        Assert.Contains("three-nodes-postgresql-tls-values.yaml", names);
        Assert.Contains("autoscaling-values.yaml", names);
    }
}
