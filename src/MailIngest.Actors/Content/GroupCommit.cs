using System.Threading.Channels;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Content;

/// <summary>
/// Coalesces concurrent content writes into one transaction and one sync: a single writer takes every write
/// queued while the previous batch committed. Idle, a write goes out alone at once; under load, the batch grows
/// with the load instead of the number of commits.
/// </summary>
internal sealed class GroupCommit
{
    private const int MaxBatch = 256;
    private readonly Channel<ContentWrite> _queue =
        Channel.CreateUnbounded<ContentWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<ContentWrite>, CancellationToken, Task> _commit;

    /// <summary>Starts the writer; <paramref name="commit"/> writes a whole batch in one transaction.</summary>
    public GroupCommit(Func<IReadOnlyList<ContentWrite>, CancellationToken, Task> commit)
    {
        _commit = commit;
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes when the batch holding this write has committed.</summary>
    public Task WriteAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var write = new ContentWrite(key, content, cancellationToken);
        if (!_queue.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(GroupCommit));
        return write.Committed.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<ContentWrite>(MaxBatch);
        var tokens = new List<CancellationToken>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            tokens.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                if (write.Cancellation.IsCancellationRequested)
                {
                    write.Committed.TrySetCanceled(write.Cancellation);
                    continue;
                }

                batch.Add(write);
                tokens.Add(write.Cancellation);
            }

            if (batch.Count == 0) continue;
            // The batch gives up when its oldest writer's deadline passes: that writer answers 451 then anyway.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(tokens.ToArray());
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await _commit(batch, deadline.Token);
                MailIngestMeter.ContentWriteSeconds.Record(MailIngestMeter.SecondsSince(started));
                MailIngestMeter.ContentBatchSize.Record(batch.Count);
                foreach (var write in batch) write.Committed.TrySetResult();
            }
            catch (Exception error)
            {
                foreach (var write in batch) write.Committed.TrySetException(error);
            }
        }
    }
}
