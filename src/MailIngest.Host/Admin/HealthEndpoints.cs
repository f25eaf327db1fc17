using Akka.Actor;
using Akka.Cluster;
using MailIngest.Actors.Content;
using MailIngest.Host.Node;

namespace MailIngest.Host.Admin;

/// <summary>/healthz (the process answers) and /readyz (this node can take mail now).</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan JournalPingTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Maps the probes.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", async (NodeState state, ActorSystem system, IContentStore store, DataVolumeSpace space, CancellationToken aborted) =>
        {
            var reason = await NotReadyReasonAsync(state, system, store, space, aborted);
            return reason is null
                ? Results.Ok(new { status = "ready" })
                : Results.Json(new { status = "not ready", reason }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    private static async Task<string?> NotReadyReasonAsync(NodeState state, ActorSystem system, IContentStore store, DataVolumeSpace space,
        CancellationToken aborted)
    {
        if (state.Draining) return "draining";
        if (space.Shortage is { } shortage) return shortage;
        if (state.SmtpEndpoint is null) return "SMTP is not listening yet";
        var self = Cluster.Get(system).SelfMember;
        if (self.Status != MemberStatus.Up) return $"cluster member status is {self.Status}";
        if (!state.MailboxesAnswered) return "mailbox shards have not answered yet";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(JournalPingTimeout);
        try
        {
            await store.PingAsync(timeout.Token);
            return null;
        }
        catch (Exception error)
        {
            return $"database does not answer: {(timeout.IsCancellationRequested ? "timeout" : error.Message)}";
        }
    }
}
