using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MailIngest.Actors.Telemetry;

namespace MailIngest.Actors.Persistence;

/// <summary>
/// Coalesces concurrent writes into one transaction and one sync: a single writer takes every write queued while the
/// previous batch committed. Idle, a write goes out alone at once; under load, the batch grows with the load instead
/// of the number of commits. The content store's message bodies and the journal's rows both go through one.
/// </summary>
/// <typeparam name="T">One write: what a batch commits together with the others.</typeparam>
internal sealed class GroupCommit<T>
{
    private const int MaxBatch = 256;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<T>, CancellationToken, Task> _commit;
    private readonly Histogram<double> _commitSeconds;
    private readonly Histogram<long> _batchSize;

    /// <summary>Starts the writer; <paramref name="commit"/> writes a whole batch in one transaction.</summary>
    /// <param name="commit">Commits a batch.</param>
    /// <param name="commitSeconds">Records how long each commit took.</param>
    /// <param name="batchSize">Records how many writes each commit took.</param>
    public GroupCommit(Func<IReadOnlyList<T>, CancellationToken, Task> commit, Histogram<double> commitSeconds, Histogram<long> batchSize)
    {
        _commit = commit;
        _commitSeconds = commitSeconds;
        _batchSize = batchSize;
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes when the batch holding <paramref name="write"/> has committed.</summary>
    public Task WriteAsync(T write, CancellationToken cancellationToken)
    {
        var pending = new Pending(write, cancellationToken);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(GroupCommit<T>));
        return pending.Committed.Task;
    }

    private async Task WriteLoopAsync()
    {
        var pendings = new List<Pending>(MaxBatch);
        var batch = new List<T>(MaxBatch);
        var tokens = new List<CancellationToken>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            pendings.Clear();
            batch.Clear();
            tokens.Clear();
            while (pendings.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                if (pending.Cancellation.IsCancellationRequested)
                {
                    pending.Committed.TrySetCanceled(pending.Cancellation);
                    continue;
                }

                pendings.Add(pending);
                batch.Add(pending.Write);
                tokens.Add(pending.Cancellation);
            }

            if (batch.Count == 0) continue;
            // The batch gives up when its oldest writer's deadline passes: that writer answers 451 then anyway.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(tokens.ToArray());
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                await _commit(batch, deadline.Token);
                _commitSeconds.Record(MailIngestMeter.SecondsSince(started));
                _batchSize.Record(batch.Count);
                foreach (var pending in pendings) pending.Committed.TrySetResult();
            }
            catch (Exception error)
            {
                foreach (var pending in pendings) pending.Committed.TrySetException(error);
            }
        }
    }

    /// <summary>A write waiting for its batch; the writer owns it until <see cref="Committed"/> completes.</summary>
    private sealed record Pending(T Write, CancellationToken Cancellation)
    {
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
