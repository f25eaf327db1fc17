using Akka.Hosting;
using MailIngest.Actors.Erasure;
using MailIngest.Actors.Mailboxes;
using MailIngest.Smtp.Session;

namespace MailIngest.Host.Admin;

/// <summary>
/// POST /api/erasure erases an address's mail cluster-wide (see <see cref="ErasureRequests"/>); GET /api/erasure/{id}
/// polls a request that took longer than the POST waited.
/// </summary>
public static class ErasureEndpoints
{
    private const string Route = "/api/erasure";

    // A request that ends within this long is answered with its result, a longer one with its id to poll.
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);

    /// <summary>Maps the erasure routes.</summary>
    public static IEndpointRouteBuilder MapErasureEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, StartAsync);
        app.MapGet(Route + "/{id}", (string id, ErasureRequests requests) => requests.Find(id) is { } job
            ? Answer(job)
            : Results.Json(new { error = $"erasure request {id} is not known to this node" }, statusCode: StatusCodes.Status404NotFound));
        return app;
    }

    private static async Task<IResult> StartAsync(ErasureBody? body, ErasureRequests requests, IRequiredActor<MailboxRegion> region,
        ILoggerFactory logs, CancellationToken aborted)
    {
        if (body?.Address is not { } given || MailboxAddress.TryNormalize(given) is not { } address)
        {
            return Results.Json(new { error = "the body must be {\"address\": \"local@domain\", \"includeSender\": false}" },
                statusCode: StatusCodes.Status400BadRequest);
        }

        var log = logs.CreateLogger(typeof(ErasureEndpoints));
        var (job, finished) = requests.Start(address, body.IncludeSender, await region.GetAsync(aborted));
        log.LogInformation("Erasure {Id} of {Address} started (mail sent from it too: {IncludeSender})", job.Id, address, body.IncludeSender);
        _ = finished.ContinueWith(ended => log.LogInformation(
            "Erasure {Id} of {Address} {Status}: {Addressed} copies addressed to it and {Sent} sent from it deleted{Error}",
            ended.Result.Id, address, ended.Result.Status, ended.Result.Addressed, ended.Result.Sent,
            ended.Result.Error is { } error ? $" ({error})" : ""), TaskScheduler.Default);
        await Task.WhenAny(finished, Task.Delay(AnswerWithin, aborted));
        return Answer(requests.Find(job.Id) ?? job);
    }

    /// <summary>200 when done, 202 with where to poll while running, 503 when it failed (it can be made again).</summary>
    private static IResult Answer(ErasureJob job) => job.Status switch
    {
        "running" => Results.Accepted($"{Route}/{job.Id}", job),
        "failed" => Results.Json(job, statusCode: StatusCodes.Status503ServiceUnavailable),
        _ => Results.Ok(job),
    };
}
