using Akka.Actor;
using Akka.Hosting;
using MailIngest.Actors.Content;
using MailIngest.Actors.Mailboxes;
using MailIngest.Smtp.Session;

namespace MailIngest.Host.Admin;

/// <summary>
/// Read API: /api/mailboxes/{address}/messages[/{id}[/raw]]; DELETE /api/mailboxes/{address} empties a mailbox and
/// DELETE /api/mailboxes/{address}/messages/{id} deletes one message.
/// </summary>
public static class MailboxEndpoints
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 500;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Maps the mailbox routes.</summary>
    public static IEndpointRouteBuilder MapMailboxEndpoints(this IEndpointRouteBuilder app)
    {
        var mailboxes = app.MapGroup(MailboxRoutes.Messages);
        mailboxes.MapGet("/", ListAsync);
        mailboxes.MapGet(MailboxRoutes.Message, GetAsync);
        mailboxes.MapGet(MailboxRoutes.Raw, RawAsync);
        mailboxes.MapDelete(MailboxRoutes.Message, DeleteAsync);
        app.MapDelete(MailboxRoutes.Mailbox, ClearAsync);
        return app;
    }

    private static async Task<IResult> ClearAsync(string address, IRequiredActor<MailboxRegion> region, ILoggerFactory logs, CancellationToken aborted)
    {
        if (MailboxAddress.TryNormalize(address) is not { } mailbox) return BadAddress(address);
        var (cleared, failure) = await AskAsync<MessagesDeleted>(region, new ClearMailbox(mailbox), logs, aborted);
        if (cleared is null) return failure!;
        if (cleared.Removed == 0) return Error(StatusCodes.Status404NotFound, $"mailbox {mailbox} not found");
        logs.CreateLogger(typeof(MailboxEndpoints)).LogInformation("Emptied mailbox {Mailbox}: {Removed} messages deleted", mailbox, cleared.Removed);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(string address, string id, IRequiredActor<MailboxRegion> region, ILoggerFactory logs,
        CancellationToken aborted)
    {
        if (MailboxAddress.TryNormalize(address) is not { } mailbox) return BadAddress(address);
        var (deleted, failure) = await AskAsync<MessagesDeleted>(region, new DeleteMessage(mailbox, id), logs, aborted);
        if (deleted is null) return failure!;
        if (deleted.Removed == 0) return Error(StatusCodes.Status404NotFound, $"message {id} not found in {mailbox}");
        logs.CreateLogger(typeof(MailboxEndpoints)).LogInformation("Deleted message {Id} of mailbox {Mailbox}", id, mailbox);
        return Results.NoContent();
    }

    private static async Task<IResult> ListAsync(string address, int? offset, int? limit, IRequiredActor<MailboxRegion> region,
        ILoggerFactory logs, CancellationToken aborted)
    {
        if (MailboxAddress.TryNormalize(address) is not { } mailbox) return BadAddress(address);
        var (from, size) = (offset ?? 0, limit ?? DefaultPageSize);
        if (from < 0 || size is < 1 or > MaxPageSize)
            return Error(StatusCodes.Status400BadRequest, $"offset must be >= 0 and limit between 1 and {MaxPageSize}");
        var (list, failure) = await AskAsync<MessageList>(region, new ListMessages(mailbox, from, size), logs, aborted);
        if (list is null) return failure!;
        if (list.Total == 0) return Error(StatusCodes.Status404NotFound, $"mailbox {mailbox} not found");
        return Results.Ok(new { mailbox, total = list.Total, offset = from, limit = size, items = list.Items.Select(MessageListItem.Of) });
    }

    private static async Task<IResult> GetAsync(string address, string id, IRequiredActor<MailboxRegion> region, IContentStore store,
        ILoggerFactory logs, CancellationToken aborted)
    {
        var found = await FindAsync(address, id, region, store, logs, aborted);
        return found.Result ?? Results.Ok(MessageView.Parse(found.Message!, RawMessage.Compose(found.Message!.TraceHeaders, found.Content!)));
    }

    private static async Task<IResult> RawAsync(string address, string id, IRequiredActor<MailboxRegion> region, IContentStore store,
        ILoggerFactory logs, CancellationToken aborted)
    {
        var found = await FindAsync(address, id, region, store, logs, aborted);
        return found.Result ?? Results.Bytes(RawMessage.Compose(found.Message!.TraceHeaders, found.Content!), "message/rfc822");
    }

    private static async Task<(IResult? Result, StoredMessageV1? Message, byte[]? Content)> FindAsync(
        string address, string id, IRequiredActor<MailboxRegion> region, IContentStore store, ILoggerFactory logs, CancellationToken aborted)
    {
        if (MailboxAddress.TryNormalize(address) is not { } mailbox) return (BadAddress(address), null, null);
        var (lookup, failure) = await AskAsync<MessageLookup>(region, new GetMessage(mailbox, id), logs, aborted);
        if (lookup is null) return (failure, null, null);
        if (lookup.Message is null) return (Error(StatusCodes.Status404NotFound, $"message {id} not found in {mailbox}"), null, null);
        var content = await store.GetAsync(lookup.Message.ContentKey, aborted);
        return content is null
            ? (Error(StatusCodes.Status500InternalServerError, $"content of message {id} is missing"), null, null)
            : (null, lookup.Message, content);
    }

    /// <summary>The mailbox's answer, or the 503 to send when it has none: no answer in time, or a failed journal read.</summary>
    private static async Task<(T? Answer, IResult? Failure)> AskAsync<T>(IRequiredActor<MailboxRegion> region, IMailboxCommand command,
        ILoggerFactory logs, CancellationToken aborted)
        where T : class
    {
        try
        {
            return (await (await region.GetAsync(aborted)).Ask<T>(command, AskTimeout, aborted), null);
        }
        catch (AskTimeoutException)
        {
            return (null, Unavailable("the mailbox did not answer in time; retry"));
        }
        catch (Exception error) when (!aborted.IsCancellationRequested)
        {
            // The mailbox answered with its journal's error (the database is down, say): the read may work on a retry,
            // so this is the server's trouble of the moment (503), not a fault of the request; the reason goes to the log.
            logs.CreateLogger(typeof(MailboxEndpoints)).LogWarning(error, "Reading mailbox {Mailbox} failed", command.Mailbox);
            return (null, Unavailable("the mailbox's journal could not be read; retry"));
        }
    }

    private static IResult BadAddress(string address) =>
        Error(StatusCodes.Status400BadRequest, $"'{address}' is not a mailbox address (local@domain)");

    private static IResult Unavailable(string reason) => Error(StatusCodes.Status503ServiceUnavailable, reason);

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
