namespace MailIngest.Actors.Retention;

/// <summary>
/// How long a mailbox keeps its messages: a default age and per-domain overrides (a domain's null age keeps its mail
/// forever). Pure; the sweeper asks it about every copy it reads.
/// </summary>
public sealed class RetentionPolicy
{
    // Often enough that a message past its age is gone within a minute, or within 5 % of its age when that is longer.
    private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ShortestInterval = TimeSpan.FromSeconds(1);

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
    /// How often the sweeper reads: a twentieth of the shortest age, between 1 and 20 s, so that a message is gone
    /// within 5 % of its age, or within a minute when that is longer.
    /// </summary>
    public TimeSpan SweepInterval
    {
        get
        {
            var ages = _domains.Values.Append(_maxAge).OfType<TimeSpan>().ToArray();
            var shortest = ages.Length == 0 ? LongestInterval : ages.Min() / 20;
            return shortest < ShortestInterval ? ShortestInterval : shortest > LongestInterval ? LongestInterval : shortest;
        }
    }

    /// <summary>The age after which <paramref name="mailbox"/>'s messages go (its domain's, else the default); null: never.</summary>
    public TimeSpan? MaxAgeOf(string mailbox)
    {
        var at = mailbox.LastIndexOf('@');
        return at >= 0 && _domains.TryGetValue(mailbox[(at + 1)..], out var age) ? age : _maxAge;
    }
}
