using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MailIngest.Smtp.Authentication;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// The python oracle (oracle.py beside this file, on Debian's python3-dkim, python3-authheaders and python3-spf):
/// it writes a corpus of signed and unsigned messages with the DNS zone they need, and computes the verdicts a correct
/// verifier reaches for them when that zone is served by a <see cref="LoopbackDnsServer"/>.
/// </summary>
public static class OracleCorpus
{
    // Debian's interpreter, where the apt packages are; the python3 on PATH may be another one without them.
    private const string Python = "/usr/bin/python3";

    private static readonly string Script =
        Path.Combine(SourceTree.Root, "tests", "MailIngest.IntegrationTests", "Authentication", "oracle.py");

    private static readonly JsonSerializerOptions Json = new();

    /// <summary>Writes keys, zone.json, cases.json and one .eml per case into <paramref name="directory"/>; returns the cases.</summary>
    public static async Task<IReadOnlyList<OracleCase>> GenerateAsync(string directory)
    {
        await RunAsync(["generate", directory]);
        return JsonSerializer.Deserialize<List<OracleCase>>(await File.ReadAllTextAsync(Path.Combine(directory, "cases.json")), Json)
               ?? throw new InvalidDataException("cases.json is empty");
    }

    /// <summary>The zone.json that <see cref="GenerateAsync"/> wrote, for <see cref="LoopbackDnsServer.Start(string)"/>.</summary>
    public static string ZonePath(string directory) => Path.Combine(directory, "zone.json");

    /// <summary>The bytes to send as DATA for <paramref name="oracleCase"/>.</summary>
    public static Task<byte[]> MessageAsync(string directory, OracleCase oracleCase) =>
        File.ReadAllBytesAsync(Path.Combine(directory, oracleCase.MessageFile));

    /// <summary>
    /// The oracle's verdict for every case generated in <paramref name="directory"/>, by case name, with every DNS
    /// lookup sent to <paramref name="dns"/> only.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, OracleVerdict>> VerifyAsync(string directory, IPEndPoint dns)
    {
        var output = Path.Combine(directory, "verdicts.json");
        await RunAsync(["verify", directory, "--dns", dns.ToString(), "--out", output]);
        var verdicts = JsonNode.Parse(await File.ReadAllTextAsync(output))?.AsObject()
                       ?? throw new InvalidDataException("verdicts.json is empty");
        return verdicts.ToDictionary(entry => entry.Key, entry => ToVerdict(entry.Value!));
    }

    private static OracleVerdict ToVerdict(JsonNode verdict) => new(
        Word(verdict["spf"]),
        verdict["dkim"]!.AsArray().Select(dkim => new OracleDkimVerdict(Word(dkim!["result"]), (string?)dkim["domain"], (string?)dkim["selector"])).ToList(),
        new OracleDmarcVerdict(Word(verdict["dmarc"]!["result"]), (string?)verdict["dmarc"]!["policy"]),
        Word(verdict["arc"]),
        (string?)verdict["oracle_exception"]);

    private static AuthResult Word(JsonNode? word) => Enum.Parse<AuthResult>((string?)word ?? throw new InvalidDataException("missing result"), ignoreCase: true);

    private static async Task RunAsync(IReadOnlyList<string> arguments)
    {
        var (exitCode, output) = await ExternalTool.RunAsync(Python, [Script, .. arguments]);
        if (exitCode != 0) throw new InvalidOperationException($"oracle.py {arguments[0]} exited {exitCode}: {output}");
    }
}
