using System.Globalization;
using System.Text.RegularExpressions;

namespace MailIngest.Testing;

/// <summary>A parsed Prometheus text exposition: every sample by its series (name and labels as written).</summary>
public sealed partial class PrometheusText
{
    private readonly Dictionary<string, double> _samples;

    private PrometheusText(Dictionary<string, double> samples) => _samples = samples;

    /// <summary>Every series in the scrape.</summary>
    public IReadOnlyCollection<string> Series => _samples.Keys;

    /// <summary>Parses a scrape; throws <see cref="FormatException"/> on a line that is neither a comment nor a sample.</summary>
    public static PrometheusText Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var match = Sample().Match(line);
            if (!match.Success) throw new FormatException($"not a Prometheus sample line: '{line}'");
            samples[match.Groups["series"].Value] = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return new PrometheusText(samples);
    }

    /// <summary>The value of <paramref name="series"/> (e.g. <c>mailingest_smtp_replies{code="250"}</c>), 0 when absent.</summary>
    public double this[string series] => _samples.GetValueOrDefault(series);

    [GeneratedRegex("""^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (?<value>[-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|Inf))(?: [0-9]+)?$""")]
    private static partial Regex Sample();
}
