using System.Diagnostics;
using System.Globalization;

namespace MailIngest.LoadGen;

/// <summary>What a load run measured.</summary>
public sealed record LoadReport(int Tried, long[] Latencies, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Errors)
{
    /// <summary>Messages answered 250 after DATA per second of the run.</summary>
    public double Rate => Latencies.Length / Elapsed.TotalSeconds;

    /// <summary>The <paramref name="percentile"/>th end-of-data to 250 time in milliseconds.</summary>
    public double Percentile(double percentile)
    {
        if (Latencies.Length == 0) return double.NaN;
        var sorted = Latencies.Order().ToArray();
        var index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>A line for people and a RESULT line for scripts.</summary>
    public override string ToString()
    {
        var errors = Errors.Count == 0 ? "none" : string.Join(", ", Errors.OrderBy(e => e.Key).Select(e => $"{e.Key}: {e.Value}"));
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"""
            {Latencies.Length} of {Tried} accepted in {Elapsed.TotalSeconds:0.0} s: {Rate:0} msg/s; end-of-data to 250 p50 {Percentile(50):0.0} ms, p95 {Percentile(95):0.0} ms, p99 {Percentile(99):0.0} ms, max {Percentile(100):0.0} ms; errors: {errors}
            RESULT msgs_per_s={Rate:0} p50_ms={Percentile(50):0.00} p95_ms={Percentile(95):0.00} p99_ms={Percentile(99):0.00} accepted={Latencies.Length} errors={Errors.Values.Sum()}
            """);
    }
}
