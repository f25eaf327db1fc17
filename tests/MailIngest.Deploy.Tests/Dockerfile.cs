using System.Text.Json;

namespace MailIngest.Deploy.Tests;

/// <summary>The instructions of deploy/Dockerfile, read so that tests reuse its exact arguments.</summary>
public sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> instructions) => Instructions = instructions;

    /// <summary>Instructions in order, with line continuations joined and comments dropped.</summary>
    public IReadOnlyList<(string Instruction, string Arguments)> Instructions { get; }

    /// <summary>Arguments of the <c>RUN dotnet publish</c> step, "dotnet" excluded.</summary>
    public IReadOnlyList<string> PublishArguments =>
        Instructions.Single(i => i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal))
            .Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];

    /// <summary>The publish step's arguments with its output folder (/app in the image) replaced by <paramref name="output"/>.</summary>
    public string[] PublishArgumentsTo(string output)
    {
        var copy = PublishArguments.ToArray();
        var index = Array.IndexOf(copy, "-o");
        if (index < 0 || index == copy.Length - 1) throw new InvalidOperationException("the Dockerfile's dotnet publish has no -o <dir>");
        copy[index + 1] = output;
        return copy;
    }

    /// <summary>The exec-form ENTRYPOINT.</summary>
    public IReadOnlyList<string> Entrypoint =>
        JsonSerializer.Deserialize<string[]>(Instructions.Single(i => i.Instruction == "ENTRYPOINT").Arguments)!;

    /// <summary>Variables set with <c>ENV name=value</c>.</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        Instructions.Where(i => i.Instruction == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);

    /// <summary>Reads deploy/Dockerfile.</summary>
    public static Dockerfile Load()
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadAllLines(Path.Combine(RepositoryPaths.Deploy, "Dockerfile")))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            pending += line.TrimEnd('\\') + " ";
            if (line.EndsWith('\\'))
            {
                continue;
            }

            var text = pending.Trim();
            pending = "";
            if (text.Length > 0)
            {
                var space = text.IndexOf(' ');
                instructions.Add((text[..space].ToUpperInvariant(), text[(space + 1)..].Trim()));
            }
        }

        return new Dockerfile(instructions);
    }
}
