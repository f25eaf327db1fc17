using MailIngest.Actors.Dashboard;

namespace MailIngest.Actors.Specs.Dashboard;

/// <summary>Combining the nodes' sample histories into the dashboard's cluster-wide series.</summary>
public sealed class ClusterSeriesTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly Dictionary<int, long> NoRefusals = [];

    /// <summary>A node sampled every 2 s from <paramref name="start"/>, accepting <paramref name="perSample"/> messages between samples.</summary>
    private static DashboardSample[] Steady(long start, int count, long perSample, long sessions, Func<int, long>? jitter = null) =>
        Enumerable.Range(0, count)
            .Select(i => new DashboardSample(start + i * 2000 + (jitter?.Invoke(i) ?? 0), i * perSample, sessions, NoRefusals))
            .ToArray();

    [Fact]
    public void Combine_sums_rates_and_sessions_of_nodes_sampled_at_different_moments()
    {
        // Arrange: 10 and 4 messages per 2 s, sampled 700 ms apart.
        var nodes = new[] { Steady(1_000_000, 30, 10, 3), Steady(1_000_700, 30, 4, 2) };

        // Act
        var series = ClusterSeries.Combine(nodes, Interval, Window);

        // Assert: once both have two samples, 5 + 2 messages per second and 3 + 2 sessions.
        var last = series.Points[^1];
        Assert.Equal(1_000_700 + 29 * 2000, last.At);
        Assert.Equal(7, last.MessagesPerSecond, precision: 6);
        Assert.Equal(5, last.SessionsOpen);
        Assert.All(series.Points.Skip(2), point => Assert.Equal(7, point.MessagesPerSecond, precision: 6));
    }

    [Fact]
    public void Combine_reads_a_steady_rate_as_steady_when_samples_drift_against_the_grid()
    {
        // Arrange: samples a few milliseconds early or late, as a timer delivers them.
        var node = Steady(5_000_000, 100, 20, 1, jitter: i => i % 3 == 0 ? 15 : i % 3 == 1 ? -12 : 3);

        // Act
        var series = ClusterSeries.Combine([node], Interval, Window);

        // Assert: no point gets two intervals' mail, none gets nothing.
        Assert.All(series.Points.Skip(2), point => Assert.InRange(point.MessagesPerSecond, 9.5, 10.5));
    }

    [Fact]
    public void Combine_returns_one_point_per_interval_at_most_over_the_window()
    {
        // Arrange: 20 minutes of samples, more than the window holds.
        var node = Steady(0, 600, 1, 0);

        // Act
        var series = ClusterSeries.Combine([node], Interval, Window);

        // Assert
        Assert.Equal(300, series.Points.Count);
        Assert.Equal(599 * 2000, series.Points[^1].At);
        Assert.Equal(300 * 2000, series.Points[0].At);
    }

    [Fact]
    public void Combine_stops_counting_a_node_whose_samples_stopped()
    {
        // Arrange: the second node's history ends a minute before the first's.
        var nodes = new[] { Steady(0, 60, 2, 1), Steady(0, 30, 2, 4) };

        // Act
        var series = ClusterSeries.Combine(nodes, Interval, Window);

        // Assert: its last sessions are not carried on into the minute it did not report.
        Assert.Equal(1, series.Points[^1].SessionsOpen);
        Assert.Equal(1, series.Points[^1].MessagesPerSecond, precision: 6);
        Assert.Equal(5, series.Points.Single(point => point.At == 29 * 2000).SessionsOpen);
    }

    [Fact]
    public void Combine_counts_refusals_within_each_history_by_code_across_nodes()
    {
        // Arrange: totals since start; what the window covers is the last sample less the first.
        DashboardSample Sample(long at, params (int Code, long Count)[] refusals) =>
            new(at, 0, 0, refusals.ToDictionary(refusal => refusal.Code, refusal => refusal.Count));
        var first = new[] { Sample(0, (501, 7)), Sample(2000, (501, 9), (550, 1)) };
        var second = new[] { Sample(500), Sample(2500, (421, 2), (501, 1)) };

        // Act
        var series = ClusterSeries.Combine([first, second], Interval, Window);

        // Assert
        Assert.Equal([new RefusalCount(421, 2), new RefusalCount(501, 3), new RefusalCount(550, 1)], series.Refusals);
    }

    [Fact]
    public void Combine_counts_authentication_verdicts_within_each_history_by_method_and_result_across_nodes()
    {
        // Arrange: the second node predates the counts in its first sample (null), then has some.
        DashboardSample Sample(long at, params (string Key, long Count)[] verdicts) =>
            new(at, 0, 0, new Dictionary<int, long>(), verdicts.Length == 0 ? null : verdicts.ToDictionary(v => v.Key, v => v.Count));
        var first = new[] { Sample(0, ("spf/pass", 10), ("dkim/fail", 1)), Sample(2000, ("spf/pass", 14), ("dkim/fail", 1), ("dkim/pass", 3), ("arc/none", 4)) };
        var second = new[] { Sample(500), Sample(2500, ("spf/fail", 2), ("dkim/pass", 1)) };

        // Act
        var series = ClusterSeries.Combine([first, second], Interval, Window);

        // Assert: in method order, each method's results by count; dkim/fail did not change within the window.
        Assert.Equal(
        [
            new AuthenticationCount("spf", "pass", 4), new AuthenticationCount("spf", "fail", 2),
            new AuthenticationCount("dkim", "pass", 4), new AuthenticationCount("arc", "none", 4),
        ], series.Authentication);
    }

    [Fact]
    public void Combine_of_no_samples_is_empty()
    {
        // Act
        var series = ClusterSeries.Combine([[], []], Interval, Window);

        // Assert
        Assert.Empty(series.Points);
        Assert.Empty(series.Refusals);
    }
}
