using Akka.Actor;
using Akka.Cluster;
using MailIngest.Actors.Dashboard;

namespace MailIngest.Host.Admin;

/// <summary>
/// /api/dashboard: the sample history of every Up member, asked of each member's sampler, combined into one
/// cluster-wide series. Under /api/, so it follows the admin token rule.
/// </summary>
public static class DashboardEndpoints
{
    // Short: the page asks again in 2 s, and a member that does not answer must not hold up the others' figures.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1.5);
    private static readonly GetNodeSamples Request = new();

    /// <summary>Maps /api/dashboard.</summary>
    public static IEndpointRouteBuilder MapDashboardEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/dashboard", async (ActorSystem system, CancellationToken aborted) =>
        {
            var members = Cluster.Get(system).State.Members.Where(member => member.Status == MemberStatus.Up).ToArray();
            var answers = await Task.WhenAll(members.Select(member => SamplesOfAsync(system, member.Address, aborted)));
            var interval = DashboardSamplerActor.Interval;
            var window = DashboardSamplerActor.Window;
            var cluster = ClusterSeries.Combine(answers.Select(answer => answer?.Samples ?? []).ToArray(), interval, window);
            return Results.Ok(new
            {
                intervalSeconds = interval.TotalSeconds,
                windowSeconds = window.TotalSeconds,
                nodes = members.Zip(answers, (member, answer) => new
                {
                    node = member.Address.ToString(),
                    // A member that did not answer in time is shown as missing; the others' figures still count.
                    answered = answer is not null,
                    points = answer is null ? [] : ClusterSeries.Combine([answer.Samples], interval, window).Points,
                }),
                points = cluster.Points,
                refusals = cluster.Refusals,
                authentication = cluster.Authentication,
            });
        });
        return app;
    }

    private static async Task<NodeSamples?> SamplesOfAsync(ActorSystem system, Address member, CancellationToken aborted)
    {
        try
        {
            return await system.ActorSelection(member + DashboardSamplerActor.Path).Ask<NodeSamples>(Request, AskTimeout, aborted);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
