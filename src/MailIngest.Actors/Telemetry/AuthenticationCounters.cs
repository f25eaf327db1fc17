using MailIngest.Smtp.Authentication;

namespace MailIngest.Actors.Telemetry;

/// <summary>
/// Authentication verdicts since the node started, by method and result: one place counts them for /metrics
/// (authentication_results{method, result}) and for the dashboard's share of pass and fail per mechanism.
/// </summary>
public sealed class AuthenticationCounters
{
    /// <summary>The methods, in the order the dashboard shows them.</summary>
    public static readonly string[] Methods = ["spf", "dkim", "dmarc", "arc"];

    private static readonly AuthResult[] Results = Enum.GetValues<AuthResult>();
    // The meter's tags, made once (no allocation per verdict).
    private static readonly KeyValuePair<string, object?>[] MethodTags = Methods.Select(method => new KeyValuePair<string, object?>("method", method)).ToArray();
    private static readonly KeyValuePair<string, object?>[] ResultTags =
        Results.Select(result => new KeyValuePair<string, object?>("result", AuthenticationResultsHeader.Word(result))).ToArray();

    private readonly long[] _counts = new long[Methods.Length * Results.Length];

    /// <summary>One verdict of <paramref name="method"/> (one of <see cref="Methods"/>).</summary>
    public void Count(string method, AuthResult result)
    {
        var index = Array.IndexOf(Methods, method);
        Interlocked.Increment(ref _counts[index * Results.Length + (int)result]);
        MailIngestMeter.AuthenticationResults.Add(1, MethodTags[index], ResultTags[(int)result]);
    }

    /// <summary>Totals since start keyed "method/result" ("spf/pass"); pairs never counted are left out.</summary>
    public IReadOnlyDictionary<string, long> Totals()
    {
        var totals = new Dictionary<string, long>();
        for (var i = 0; i < _counts.Length; i++)
        {
            var count = Interlocked.Read(ref _counts[i]);
            if (count > 0) totals[$"{Methods[i / Results.Length]}/{AuthenticationResultsHeader.Word(Results[i % Results.Length])}"] = count;
        }

        return totals;
    }
}
