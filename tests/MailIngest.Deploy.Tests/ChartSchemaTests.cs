namespace MailIngest.Deploy.Tests;

[Collection(DeployToolsCollection.Name)]
public sealed class ChartSchemaTests(DeployTools tools)
{
    [Theory]
    [MemberData(nameof(ChartValueSets.Names), MemberType = typeof(ChartValueSets))]
    public void Every_rendered_object_matches_the_Kubernetes_schema_with_value_set(string valueSet)
    {
        var rendered = Chart.TryTemplate(tools, "mailingest", "mail", ChartValueSets.Arguments(valueSet));
        Assert.True(rendered.ExitCode == 0, rendered.Output);
        var objectCount = RenderedChart.Parse(rendered.StandardOutput).Objects.Count;

        var validation = tools.ValidateSchema(rendered.StandardOutput);

        Assert.True(validation.ExitCode == 0, validation.Output);
        Assert.Contains($"validated {objectCount} objects", validation.StandardOutput);
    }

    [Fact]
    public void Schema_check_rejects_a_wrongly_typed_field()
    {
        var rendered = Chart.TryTemplate(tools, "mailingest", "mail");
        Assert.Equal(0, rendered.ExitCode);
        var broken = rendered.StandardOutput.Replace("containerPort: 2525", "containerPort: smtp-port", StringComparison.Ordinal);
        Assert.NotEqual(rendered.StandardOutput, broken);

        var validation = tools.ValidateSchema(broken);

        Assert.Equal(1, validation.ExitCode);
        Assert.Contains("containerPort must be integer", validation.StandardOutput);
    }
}
