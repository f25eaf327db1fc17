namespace MailIngest.Actors.Dashboard;

/// <summary>
/// One reading of a node's SMTP counters for the dashboard. Totals since the node started, not deltas: a reader
/// that misses samples still gets the right rate from the two it has.
/// </summary>
/// <param name="At">When it was taken, Unix milliseconds.</param>
/// <param name="Accepted">Messages answered 250 since start.</param>
/// <param name="SessionsOpen">SMTP sessions open at that moment.</param>
/// <param name="Refusals">4xx and 5xx replies sent since start, by reply code.</param>
/// <param name="Authentication">Authentication verdicts since start, keyed "method/result"; null from a node that
/// predates them (its samples still read).</param>
public sealed record DashboardSample(long At, long Accepted, long SessionsOpen, IReadOnlyDictionary<int, long> Refusals,
    IReadOnlyDictionary<string, long>? Authentication = null);
