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
    private readonly Func<IReadOnlyList<T>, Task> _commit;
    private readonly Histogram<double> _commitSeconds;
    private readonly Histogram<long> _batchSize;

    /// <summary>
    /// Starts the writer; <paramref name="commit"/> writes a whole batch in one transaction, bounded by the database's
    /// own command timeout (a writer that stops waiting does not cancel the others' commit).
    /// </summary>
    /// <param name="commit">Commits a batch.</param>
    /// <param name="commitSeconds">Records how long each commit took.</param>
    /// <param name="batchSize">Records how many writes each commit took.</param>
    public GroupCommit(Func<IReadOnlyList<T>, Task> commit, Histogram<double> commitSeconds, Histogram<long> batchSize)
    {
        _commit = commit;
        _commitSeconds = commitSeconds;
        _batchSize = batchSize;
        _ = Task.Run(WriteLoopAsync);
    }

    /// <summary>
    /// Completes when the batch holding <paramref name="write"/> has committed; cancelled when
    /// <paramref name="cancellationToken"/> fires first, in which case the write may still commit.
    /// </summary>
    public Task WriteAsync(T write, CancellationToken cancellationToken)
    {
        var pending = new Pending(write);
        pending.StopWaitingOn(cancellationToken);
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(GroupCommit<T>));
        return pending.Committed;
    }

    /// <summary>Takes no more writes; the writer commits those queued, then ends.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task WriteLoopAsync()
    {
        var pendings = new List<Pending>(MaxBatch);
        var batch = new List<T>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            pendings.Clear();
            batch.Clear();
            while (pendings.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                // Its writer stopped waiting (its deadline passed) before the batch formed: nothing to write for it.
                if (!pending.Waiting) continue;
                pendings.Add(pending);
                batch.Add(pending.Write);
            }

            if (batch.Count == 0) continue;
            var failure = await CommitAsync(batch);
            if (failure is null || pendings.Count == 1)
            {
                foreach (var pending in pendings) pending.Complete(failure);
                continue;
            }

            // One bad write (a row another incarnation of the same entity wrote first, say) must not fail the others:
            // to Akka.Persistence each failed write is one failure of the journal's circuit breaker, and ten of them
            // stop every write of the node for its reset timeout. Alone, each write succeeds or fails on its own.
            foreach (var pending in pendings.Where(pending => pending.Waiting))
                pending.Complete(await CommitAsync([pending.Write]));
        }
    }

    /// <summary>Commits <paramref name="batch"/>: null when it committed, else why not.</summary>
    private async Task<Exception?> CommitAsync(IReadOnlyList<T> batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _commit(batch);
            _commitSeconds.Record(MailIngestMeter.SecondsSince(started));
            _batchSize.Record(batch.Count);
            return null;
        }
        catch (Exception error)
        {
            return error;
        }
    }

    /// <summary>A write waiting for its batch; the writer owns it until <see cref="Committed"/> completes.</summary>
    private sealed class Pending(T write)
    {
        private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenRegistration _stopWaiting;

        public T Write => write;

        public Task Committed => _committed.Task;

        public bool Waiting => !_committed.Task.IsCompleted;

        /// <summary>Called before the write is queued, so <see cref="Complete"/> always sees the registration.</summary>
        public void StopWaitingOn(CancellationToken cancellationToken) =>
            _stopWaiting = cancellationToken.Register(() => _committed.TrySetCanceled(cancellationToken));

        public void Complete(Exception? failure)
        {
            if (failure is null) _committed.TrySetResult();
            else _committed.TrySetException(failure);
            _stopWaiting.Dispose();
        }
    }
}
