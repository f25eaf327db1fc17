namespace MailIngest.Deploy.Tests;

/// <summary>The value sets every chart test runs on: the chart's defaults and each file in helm/mailingest/ci.</summary>
public static class ChartValueSets
{
    /// <summary>Name of the set that uses the chart's own values.yaml only.</summary>
    public const string Defaults = "defaults";

    /// <summary>Set names for [MemberData]: <see cref="Defaults"/> and the ci file names.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string> { Defaults };
            foreach (var file in CiFiles)
            {
                names.Add(Path.GetFileName(file));
            }

            return names;
        }
    }

    /// <summary>The value files under helm/mailingest/ci.</summary>
    public static IReadOnlyList<string> CiFiles =>
        Directory.GetFiles(RepositoryPaths.ChartCiValues, "*.yaml").Order(StringComparer.Ordinal).ToList();

    /// <summary>helm arguments that select the set <paramref name="name"/>.</summary>
    public static string[] Arguments(string name) =>
        name == Defaults ? [] : ["-f", Path.Combine(RepositoryPaths.ChartCiValues, name)];
}
