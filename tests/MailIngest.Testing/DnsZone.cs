using System.Text.Json;
using System.Text.Json.Serialization;

namespace MailIngest.Testing;

/// <summary>
/// What a <see cref="LoopbackDnsServer"/> serves: its records, the names that never get an answer
/// (<see cref="TimeoutNames"/>, for temperror by timeout) and the names answered with SERVFAIL.
/// Names compare case-insensitively, with or without a trailing dot.
/// </summary>
/// <remarks>
/// The JSON form, which tests/MailIngest.IntegrationTests/Authentication/oracle.py writes so that the python oracle
/// and the C# server share one zone:
/// <code>
/// {
///   "records": [
///     { "name": "example.com", "type": "TXT", "value": "v=spf1 ip4:192.0.2.0/24 -all", "ttl": 300 },
///     { "name": "example.com", "type": "MX", "value": "10 mx.example.com" },
///     { "name": "mx.example.com", "type": "A", "value": "192.0.2.25" }
///   ],
///   "timeout": [ "slow.example.net" ],
///   "servfail": [ "broken.example.net" ]
/// }
/// </code>
/// "ttl" is optional (300). A name listed in "timeout" or "servfail" behaves so for every query type.
/// </remarks>
public sealed record DnsZone(IReadOnlyList<DnsZoneRecord> Records, IReadOnlyList<string> TimeoutNames, IReadOnlyList<string> ServfailNames)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>Reads the JSON form described above.</summary>
    public static DnsZone Load(string path)
    {
        var file = JsonSerializer.Deserialize<ZoneFile>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path} holds no zone");
        return new DnsZone(file.Records ?? [], file.Timeout ?? [], file.Servfail ?? []);
    }

    private sealed record ZoneFile(
        [property: JsonPropertyName("records")] List<DnsZoneRecord>? Records,
        [property: JsonPropertyName("timeout")] List<string>? Timeout,
        [property: JsonPropertyName("servfail")] List<string>? Servfail);
}
