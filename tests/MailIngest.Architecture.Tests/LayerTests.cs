using System.Reflection;
using NetArchTest.Rules;

namespace MailIngest.Architecture.Tests;

/// <summary>
/// Folders depend one way (docs/architecture-rules.md): within a project each folder may use the folders listed
/// below it and none listed above it, so a new reference that closes a cycle fails here instead of in a review.
/// </summary>
public sealed class LayerTests
{
    /// <summary>Each project's folders, top first. Program.cs (global namespace) sits above the host's folders.</summary>
    private static readonly string[][] Projects =
    [
        ["MailIngest.Host.Admin", "MailIngest.Host.Node", "MailIngest.Host.Configuration"],
        [
            // Hosting wires every actor and Serialization binds every message type, so both sit above all they name.
            "MailIngest.Actors.Hosting",
            "MailIngest.Actors.Serialization",
            "MailIngest.Actors.Dashboard",
            "MailIngest.Actors.Webhooks",
            // Erasure and retention read the feed and ask mailboxes to delete.
            "MailIngest.Actors.Erasure",
            "MailIngest.Actors.Retention",
            "MailIngest.Actors.Feed",
            // A session reads what the listener hands it and hands its messages to delivery.
            "MailIngest.Actors.Sessions",
            // The milters run between a session's end of data and delivery, on the session's spool.
            "MailIngest.Actors.Filters",
            "MailIngest.Actors.Transport",
            // SPF/DKIM/DMARC/ARC plug into delivery through its IMessageAuthentication seam.
            "MailIngest.Actors.Authentication",
            "MailIngest.Actors.Delivery",
            "MailIngest.Actors.Mailboxes",
            // A backend (one folder each below it) implements the content store and starts the journal.
            "MailIngest.Actors.Storage",
            "MailIngest.Actors.Content",
            "MailIngest.Actors.Persistence",
            // Counters and meters are written from every stage.
            "MailIngest.Actors.Telemetry",
        ],
    ];

    /// <summary>Every folder paired with each folder above it in the same project.</summary>
    public static TheoryData<string, string> FolderAndUpstream()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var layers in Projects)
        {
            for (var below = 1; below < layers.Length; below++)
            {
                for (var above = 0; above < below; above++) pairs.Add(layers[below], layers[above]);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(FolderAndUpstream))]
    public void Folder_does_not_depend_on_upstream_folder(string folder, string upstream)
    {
        var result = Types.InAssembly(AssemblyOf(folder))
            .That().ResideInNamespace(folder)
            .ShouldNot().HaveDependencyOn(upstream)
            .GetResult();

        Assert.True(result.IsSuccessful, $"{folder} must not use {upstream}, but these do: {Failing(result)}");
    }

    [Fact]
    public void Every_folder_has_a_place_in_the_order()
    {
        var listed = Projects.SelectMany(layers => layers).ToHashSet();
        var unlisted = Projects
            .Select(layers => AssemblyOf(layers[0]))
            .SelectMany(assembly => assembly.GetTypes())
            .Select(type => type.Namespace)
            .OfType<string>()
            .Where(name => name.StartsWith("MailIngest.", StringComparison.Ordinal) && !listed.Any(folder => IsIn(name, folder)))
            .Distinct();

        Assert.Empty(unlisted);
    }

    [Fact]
    public void Smtp_core_depends_on_no_actors_or_sockets()
    {
        var result = Types.InAssembly(Assembly.Load("MailIngest.Smtp"))
            .ShouldNot().HaveDependencyOnAny("Akka", "System.Net.Sockets", "MailIngest.Actors", "MailIngest.Host")
            .GetResult();

        Assert.True(result.IsSuccessful, $"the SMTP core must stay free of IO and actors, but these are not: {Failing(result)}");
    }

    /// <summary>A namespace is in a folder when it is the folder's or one of its subfolders'.</summary>
    private static bool IsIn(string name, string folder) =>
        name == folder || name.StartsWith(folder + ".", StringComparison.Ordinal);

    /// <summary>"MailIngest.Actors.Transport" lives in the assembly "MailIngest.Actors".</summary>
    private static Assembly AssemblyOf(string folder) => Assembly.Load(folder[..folder.LastIndexOf('.')]);

    private static string Failing(TestResult result) => string.Join(", ", result.FailingTypeNames ?? []);
}
