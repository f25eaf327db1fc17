namespace MailIngest.Actors.Retention;

/// <summary>
/// How long a mailbox keeps its messages: a default age and per-domain overrides (a domain's null age keeps its mail
/// forever). Pure; the sweeper asks it about every copy it reads.
/// </summary>
public sealed class RetentionPolicy
{
    // A message past its age may stay this long, or 5 % of its age when that is longer.
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    private readonly TimeSpan? _maxAge;
    private readonly Dictionary<string, TimeSpan?> _domains;

    /// <summary>A policy; <paramref name="domains"/> maps a recipient domain (any case) to its own age.</summary>
    public RetentionPolicy(TimeSpan? maxAge, IReadOnlyDictionary<string, TimeSpan?> domains)
    {
        _maxAge = maxAge;
        _domains = new Dictionary<string, TimeSpan?>(domains, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>True when some mail expires at all.</summary>
    public bool ExpiresAnything => _maxAge is not null || _domains.Values.Any(age => age is not null);

    /// <summary>
    /// How often the sweeper reads: a quarter of what the shortest age allows (a minute, or 5 % of the age when that is
    /// longer), so that a message is gone in time with room for the sweep itself. No more often than that: each sweep
    /// that finds mail due costs every mailbox holding some a search, an event and a cleanup.
    /// </summary>
    public TimeSpan SweepInterval
    {
        get
        {
            var shortest = _domains.Values.Append(_maxAge).OfType<TimeSpan>().DefaultIfEmpty(TimeSpan.MaxValue).Min();
            var allowed = shortest == TimeSpan.MaxValue || shortest * 0.05 < Grace ? Grace : shortest * 0.05;
            return allowed / 4;
        }
    }

    /// <summary>The age after which <paramref name="mailbox"/>'s messages go (its domain's, else the default); null: never.</summary>
    public TimeSpan? MaxAgeOf(string mailbox)
    {
        var at = mailbox.LastIndexOf('@');
        return at >= 0 && _domains.TryGetValue(mailbox[(at + 1)..], out var age) ? age : _maxAge;
    }
}
