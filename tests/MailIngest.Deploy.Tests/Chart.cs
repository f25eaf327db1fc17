namespace MailIngest.Deploy.Tests;

/// <summary>Renders the chart with helm template.</summary>
public static class Chart
{
    /// <summary>Runs helm template; the result may be a failure.</summary>
    public static ProcessResult TryTemplate(DeployTools tools, string release, string @namespace, params string[] arguments) =>
        tools.Helm(["template", release, RepositoryPaths.Chart, "--namespace", @namespace, .. arguments]);

    /// <summary>Renders and parses the chart; a rendering failure fails the calling test with helm's message.</summary>
    public static RenderedChart Template(DeployTools tools, string release, string @namespace, params string[] arguments)
    {
        var result = TryTemplate(tools, release, @namespace, arguments);
        Assert.True(result.ExitCode == 0, result.Output);
        return RenderedChart.Parse(result.StandardOutput);
    }
}
