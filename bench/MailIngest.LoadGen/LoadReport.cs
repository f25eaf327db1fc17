using System.Diagnostics;
using System.Globalization;

namespace MailIngest.LoadGen;

/// <summary>What a load run measured.</summary>
/// <param name="Sent">Transactions started (connect or MAIL onwards), successful or not.</param>
/// <param name="Latencies">End-of-data to 250 times of the accepted messages, in stopwatch ticks.</param>
/// <param name="Elapsed">From the start of the run until the last connection finished.</param>
/// <param name="Errors">Failed transactions by reply code or kind ("connect-refused", "io", "closed", "garbled",
/// "cut-off" by the time bound), so sent = accepted + errors; plus "quit-…" for a failed QUIT after an accepted message.</param>
public sealed record LoadReport(int Sent, long[] Latencies, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Errors)
{
    private readonly long[] _sorted = Latencies.Order().ToArray();

    /// <summary>Messages answered 250 after DATA.</summary>
    public int Accepted => _sorted.Length;

    /// <summary>Accepted messages per second of the run.</summary>
    public double Rate => Accepted / Elapsed.TotalSeconds;

    /// <summary>The <paramref name="percentile"/>th end-of-data to 250 time in milliseconds (nearest rank); NaN if none.</summary>
    public double Percentile(double percentile)
    {
        if (_sorted.Length == 0) return double.NaN;
        var index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1);
        return _sorted[index] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>A line for people and a RESULT line for scripts.</summary>
    public override string ToString()
    {
        var errors = Errors.Count == 0 ? "none" : string.Join(", ", Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}"));
        double p50 = Percentile(50), p95 = Percentile(95), p99 = Percentile(99), max = Percentile(100);
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"""
            {Accepted} of {Sent} accepted in {Elapsed.TotalSeconds:0.00} s: {Rate:0} msg/s; end-of-data to 250 p50 {p50:0.00} ms, p95 {p95:0.00} ms, p99 {p99:0.00} ms, max {max:0.00} ms; errors: {errors}
            RESULT msgs_per_s={Rate:0.0} p50_ms={p50:0.000} p95_ms={p95:0.000} p99_ms={p99:0.000} max_ms={max:0.000} sent={Sent} accepted={Accepted} elapsed_s={Elapsed.TotalSeconds:0.000} errors={Errors.Values.Sum()}
            """);
    }
}
