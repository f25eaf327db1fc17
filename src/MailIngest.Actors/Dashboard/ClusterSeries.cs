namespace MailIngest.Actors.Dashboard;

/// <summary>
/// The nodes' histories as one cluster-wide series: messages per second and open sessions summed over the nodes on a
/// common time grid, and the refusals of the window by reply code.
/// </summary>
/// <param name="Points">Oldest first, one per interval, ending at the newest sample of any node.</param>
/// <param name="Refusals">By code, ascending; codes not sent within the window are left out.</param>
/// <param name="Authentication">Verdicts within the window by method and result, in <see cref="Telemetry.AuthenticationCounters.Methods"/>
/// order; pairs not counted within the window are left out.</param>
public sealed record ClusterSeries(IReadOnlyList<SeriesPoint> Points, IReadOnlyList<RefusalCount> Refusals, IReadOnlyList<AuthenticationCount> Authentication)
{
    /// <summary>Combines each node's samples (oldest first) into points <paramref name="interval"/> apart over <paramref name="window"/>.</summary>
    public static ClusterSeries Combine(IReadOnlyList<IReadOnlyList<DashboardSample>> nodes, TimeSpan interval, TimeSpan window)
    {
        var histories = nodes.Where(samples => samples.Count > 0).ToArray();
        if (histories.Length == 0) return new ClusterSeries([], [], []);
        var step = (long)interval.TotalMilliseconds;
        var end = histories.Max(samples => samples[^1].At);
        var count = (int)(window / interval);
        var points = new List<SeriesPoint>(count);
        for (var k = count - 1; k >= 0; k--)
        {
            var at = end - k * step;
            var present = false;
            double messages = 0;
            long sessions = 0;
            foreach (var samples in histories)
            {
                var now = Latest(samples, at, step);
                if (now < 0) continue;
                present = true;
                sessions += samples[now].SessionsOpen;
                var before = Latest(samples, at - step, step);
                if (before >= 0) messages += AcceptedAt(samples, at, now) - AcceptedAt(samples, at - step, before);
            }

            if (present) points.Add(new SeriesPoint(at, messages / interval.TotalSeconds, sessions));
        }

        return new ClusterSeries(points, RefusalsWithin(histories), AuthenticationWithin(histories));
    }

    /// <summary>
    /// The index of the node's last sample at or before <paramref name="at"/>; -1 when the node has none yet, or when
    /// its newest is more than a step older (it stopped answering: its last values must not be carried on).
    /// </summary>
    private static int Latest(IReadOnlyList<DashboardSample> samples, long at, long step)
    {
        int low = 0, high = samples.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (samples[middle].At <= at)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found == samples.Count - 1 && at - samples[found].At > step ? -1 : found;
    }

    /// <summary>
    /// The accepted total at <paramref name="at"/>, read on the line through the samples around it (past the newest, on
    /// the line through the last two). Samples drift a few milliseconds against the grid and nodes sample at different
    /// moments: reading the last sample instead would put two intervals' mail in one point and none in the next, and
    /// would show every node but the latest as idle in the newest point.
    /// </summary>
    private static double AcceptedAt(IReadOnlyList<DashboardSample> samples, long at, int before)
    {
        if (samples.Count == 1) return samples[0].Accepted;
        var from = samples[Math.Min(before, samples.Count - 2)];
        var to = samples[Math.Min(before, samples.Count - 2) + 1];
        if (to.At == from.At) return to.Accepted;
        return from.Accepted + (to.Accepted - from.Accepted) * (double)(at - from.At) / (to.At - from.At);
    }

    private static AuthenticationCount[] AuthenticationWithin(IEnumerable<IReadOnlyList<DashboardSample>> histories) =>
        histories
            .SelectMany(samples => (samples[^1].Authentication ?? new Dictionary<string, long>()).Select(pair =>
                (pair.Key, Count: pair.Value - (samples[0].Authentication?.GetValueOrDefault(pair.Key) ?? 0))))
            .GroupBy(pair => pair.Key, pair => pair.Count)
            .Select(pair => (Key: pair.Key.Split('/'), Count: pair.Sum()))
            .Where(pair => pair.Count > 0)
            .OrderBy(pair => Array.IndexOf(Telemetry.AuthenticationCounters.Methods, pair.Key[0]))
            .ThenByDescending(pair => pair.Count)
            .Select(pair => new AuthenticationCount(pair.Key[0], pair.Key[1], pair.Count))
            .ToArray();

    private static RefusalCount[] RefusalsWithin(IEnumerable<IReadOnlyList<DashboardSample>> histories) =>
        histories
            .SelectMany(samples => samples[^1].Refusals.Select(code =>
                (code.Key, Count: code.Value - samples[0].Refusals.GetValueOrDefault(code.Key))))
            .GroupBy(code => code.Key, code => code.Count)
            .Select(code => new RefusalCount(code.Key, code.Sum()))
            .Where(code => code.Count > 0)
            .OrderBy(code => code.Code)
            .ToArray();
}
