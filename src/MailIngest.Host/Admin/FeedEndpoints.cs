using Akka.Actor;
using MailIngest.Actors.Feed;
using MailIngest.Smtp.Session;

namespace MailIngest.Host.Admin;

/// <summary>/api/feed: every stored copy in one cluster-wide order, resumable from a cursor.</summary>
public static class FeedEndpoints
{
    private const int DefaultLimit = 100;

    /// <summary>Maps /api/feed.</summary>
    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/feed", ReadAsync);
        return app;
    }

    private static async Task<IResult> ReadAsync(
        long? after, int? limit, double? wait, string[]? domain, string? mailbox, ActorSystem system, CancellationToken aborted)
    {
        var (from, size, seconds) = (after ?? 0, limit ?? DefaultLimit, wait ?? 0);
        if (from < 0) return Error("after must be a cursor from an earlier page, or 0 for the start");
        if (size is < 1 or > MailFeed.MaxLimit) return Error($"limit must be between 1 and {MailFeed.MaxLimit}");
        if (!(seconds >= 0 && seconds <= MailFeed.MaxWait.TotalSeconds))
            return Error($"wait must be between 0 and {MailFeed.MaxWait.TotalSeconds} seconds");
        string? only = null;
        if (mailbox is not null && (only = MailboxAddress.TryNormalize(mailbox)) is null)
            return Error($"'{mailbox}' is not a mailbox address (local@domain)");

        var filter = FeedFilter.Of(domain ?? [], only);
        var page = await new MailFeed(system).ReadAsync(from, size, filter, TimeSpan.FromSeconds(seconds), aborted);
        return Results.Ok(new { items = page.Items, next = page.Next });
    }

    private static IResult Error(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status400BadRequest);
}
