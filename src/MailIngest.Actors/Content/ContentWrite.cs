namespace MailIngest.Actors.Content;

/// <summary>One message body waiting for its batch; the writer owns <see cref="Content"/> until it completes.</summary>
internal sealed record ContentWrite(string Key, Stream Content, CancellationToken Cancellation)
{
    /// <summary>Completed once the batch holding this write has committed (or failed).</summary>
    public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
