using System.Text.RegularExpressions;

namespace MailIngest.Testing;

/// <summary>The metric names the Helm chart's Grafana dashboard and autoscaler query, to check a node exports them.</summary>
public static partial class ChartSeries
{
    // Only the node running the webhook singleton exports these, and only with webhooks configured.
    private const string WebhookPrefix = "mailingest_webhook";

    /// <summary>
    /// The metric names in helm/mailingest/dashboards/mailingest.json and values.yaml: the webhook ones when
    /// <paramref name="webhooks"/>, else all the others (every node exports those).
    /// </summary>
    public static async Task<IReadOnlySet<string>> AskedAsync(bool webhooks)
    {
        var chart = Path.Combine(SourceTree.Root, "helm", "mailingest");
        var text = await File.ReadAllTextAsync(Path.Combine(chart, "dashboards", "mailingest.json")) +
                   await File.ReadAllTextAsync(Path.Combine(chart, "values.yaml"));
        return MetricName().Matches(text).Select(match => NameOf(match.Value))
            .Where(name => name.StartsWith(WebhookPrefix, StringComparison.Ordinal) == webhooks)
            .ToHashSet();
    }

    /// <summary>The metric names of a scrape: histogram series (_bucket, _sum, _count) count under their metric's name.</summary>
    public static IReadOnlySet<string> Exported(PrometheusText scrape) =>
        scrape.Series.Select(series => NameOf(series.Split('{')[0])).ToHashSet();

    private static string NameOf(string series) => HistogramSuffix().Replace(series, "");

    [GeneratedRegex("mailingest_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
