using Akka.Actor;
using Akka.Hosting;
using MailIngest.Actors.Webhooks;

namespace MailIngest.Host.Admin;

/// <summary>/api/webhooks: the webhooks' states, and resuming a paused one.</summary>
public static class WebhookEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Maps the webhook routes.</summary>
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/webhooks", async (IActorRegistry registry, CancellationToken aborted) => Results.Ok(await StatesAsync(registry, aborted)));
        app.MapPost("/api/webhooks/{name}/resume", ResumeAsync);
        return app;
    }

    /// <summary>
    /// Every webhook's state from the singleton, wherever in the cluster it runs: an empty list when none is
    /// configured, an error object when the singleton does not answer in time (it is moving to another node).
    /// </summary>
    public static async Task<object> StatesAsync(IActorRegistry registry, CancellationToken aborted)
    {
        if (!registry.TryGet<WebhookDispatcher>(out var webhooks)) return Array.Empty<WebhookState>();
        try
        {
            return (await webhooks.Ask<WebhookStates>(new GetWebhookStates(), AskTimeout, aborted)).Webhooks;
        }
        catch (AskTimeoutException)
        {
            return new { error = "the webhook singleton did not answer in time (it may be moving to another node); retry" };
        }
    }

    private static async Task<IResult> ResumeAsync(string name, IActorRegistry registry, CancellationToken aborted)
    {
        if (!registry.TryGet<WebhookDispatcher>(out var webhooks)) return NotFound(name);
        try
        {
            var result = await webhooks.Ask<ResumeWebhookResult>(new ResumeWebhook(name), AskTimeout, aborted);
            return result.Webhook is { } state ? Results.Ok(state) : NotFound(name);
        }
        catch (AskTimeoutException)
        {
            return Results.Json(new { error = "the webhook singleton did not answer in time; retry" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult NotFound(string name) =>
        Results.Json(new { error = $"no webhook named '{name}'" }, statusCode: StatusCodes.Status404NotFound);
}
