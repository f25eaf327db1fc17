using System.Text.Json.Nodes;

namespace MailIngest.Deploy.Tests;

/// <summary>The objects of one <c>helm template</c> run.</summary>
public sealed class RenderedChart(IReadOnlyList<JsonObject> objects)
{
    /// <summary>All rendered objects.</summary>
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    /// <summary>The single object of kind <paramref name="kind"/>.</summary>
    public JsonObject Single(string kind) => Objects.Single(o => (string?)o["kind"] == kind);

    /// <summary>Objects of kind <paramref name="kind"/>.</summary>
    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    /// <summary>The StatefulSet's MailIngest container (extraContainers may add others beside it).</summary>
    public JsonObject Container => (JsonObject)PodSpec["containers"]!.AsArray().Single(c => (string?)c!["name"] == "mailingest")!;

    /// <summary>The pod template's spec of the StatefulSet.</summary>
    public JsonObject PodSpec => (JsonObject)Single("StatefulSet")["spec"]!["template"]!["spec"]!;

    /// <summary>Environment of the container: its <c>env</c> entries and the ConfigMap it loads with envFrom.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Environment
    {
        get
        {
            var configMapName = (string?)Container["envFrom"]!.AsArray().Single()!["configMapRef"]!["name"];
            var configMap = OfKind("ConfigMap").Single(c => (string?)c["metadata"]!["name"] == configMapName);
            var environment = configMap["data"]!.AsObject()
                .ToDictionary(pair => pair.Key, pair => pair.Value?.DeepClone());
            foreach (var variable in Container["env"]!.AsArray())
            {
                environment[(string)variable!["name"]!] = variable["value"]?.DeepClone() ?? variable["valueFrom"]?.DeepClone();
            }

            return environment;
        }
    }

    /// <summary>Parses <paramref name="yaml"/>.</summary>
    public static RenderedChart Parse(string yaml) => new(YamlDocuments.Parse(yaml));
}
