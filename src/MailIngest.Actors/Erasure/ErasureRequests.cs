using System.Collections.Concurrent;
using Akka.Actor;
using MailIngest.Actors.Feed;
using MailIngest.Actors.Mailboxes;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Erasure;

/// <summary>
/// Erases a person's mail cluster-wide (GDPR Art. 17): every copy addressed to an address, and, when asked, every copy
/// sent from it (its envelope sender or a From: address). The address's own mailbox is emptied; then, for mail sent
/// from it, the feed (the journal's global order, every node's copies) is read from the start, and each matching copy
/// is deleted by its mailbox, wherever its shard lives, a few at a time. Mail stored after the read passed is not part
/// of the request. Requests run in the background on the node that took them and are kept there (the last
/// <see cref="Kept"/>) to be polled; a request lost with its node is made again, which deletes nothing twice.
/// </summary>
public sealed class ErasureRequests(MailFeed feed, TimeProvider clock)
{
    /// <summary>Finished requests kept for polling; running ones are always kept.</summary>
    public const int Kept = 100;

    // Deletions asked at once; each is a search of one mailbox's journal and one event.
    private const int Parallel = 8;
    private const int PageSize = MailFeed.MaxLimit;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, ErasureJob> _jobs = new(StringComparer.Ordinal);

    /// <summary>Starts erasing <paramref name="address"/> (normalized) through <paramref name="mailboxes"/>; returns the running job and its end.</summary>
    public (ErasureJob Job, Task<ErasureJob> Finished) Start(string address, bool includeSender, IActorRef mailboxes)
    {
        var job = new ErasureJob(Guid.NewGuid().ToString("N"), address, includeSender, "running", 0, 0, null, clock.GetUtcNow(), null);
        _jobs[job.Id] = job;
        Forget();
        return (job, Task.Run(() => RunAsync(job, mailboxes)));
    }

    /// <summary>The request with this id, if this node took it and still keeps it.</summary>
    public ErasureJob? Find(string id) => _jobs.GetValueOrDefault(id);

    private async Task<ErasureJob> RunAsync(ErasureJob job, IActorRef mailboxes)
    {
        try
        {
            var emptied = await mailboxes.Ask<MessagesDeleted>(new ClearMailbox(job.Address), AskTimeout);
            job = Update(job with { Addressed = emptied.Removed });
            if (job.IncludeSender) job = await EraseSentAsync(job, mailboxes);
            return Update(job with { Status = "done", FinishedAt = clock.GetUtcNow() });
        }
        catch (Exception error)
        {
            return Update(job with { Status = "failed", Error = error.Message, FinishedAt = clock.GetUtcNow() });
        }
    }

    private async Task<ErasureJob> EraseSentAsync(ErasureJob job, IActorRef mailboxes)
    {
        var cursor = 0L;
        while (true)
        {
            var page = await feed.ReadAsync(cursor, PageSize, FeedFilter.All, TimeSpan.Zero, CancellationToken.None);
            foreach (var batch in page.Items.Where(item => SentFrom(item, job.Address)).Chunk(Parallel))
            {
                var answers = await Task.WhenAll(batch.Select(item =>
                    mailboxes.Ask<MessagesDeleted>(new DeleteMessage(item.Mailbox, item.Id), AskTimeout)));
                job = Update(job with { Sent = job.Sent + answers.Sum(answer => answer.Removed) });
            }

            if (page.Next == cursor) return job;
            cursor = page.Next;
        }
    }

    /// <summary>True when the copy's envelope sender or one of its From: addresses is <paramref name="address"/>.</summary>
    private static bool SentFrom(FeedItem item, string address) =>
        MailboxAddress.TryNormalize(item.Envelope.MailFrom) == address
        || (MimeKit.InternetAddressList.TryParse(item.From, out var from)
            && from.Mailboxes.Any(mailbox => MailboxAddress.TryNormalize(mailbox.Address) == address));

    private ErasureJob Update(ErasureJob job) => _jobs[job.Id] = job;

    // Keeps the newest finished requests and every running one.
    private void Forget()
    {
        var finished = _jobs.Values.Where(job => job.FinishedAt is not null).OrderByDescending(job => job.FinishedAt).Skip(Kept);
        foreach (var old in finished) _jobs.TryRemove(old.Id, out _);
    }
}
