using MailIngest.Smtp.Milter;
using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Filters;

/// <summary>
/// The milters' sessions for one SMTP transaction, in the configured order: begun at its first recipient, asked at
/// each RCPT, finished by <see cref="FilterChain.DeliverAsync"/> at end of data, or abandoned (disposed) when the
/// client resets, starts another transaction or leaves.
/// </summary>
public sealed class FilterTransaction : IAsyncDisposable
{
    private readonly CancellationTokenSource _abandoned = new();
    private Task? _checking;

    internal FilterTransaction(int number, string queueId, IReadOnlyList<MilterConversation> conversations)
    {
        Number = number;
        QueueId = queueId;
        Conversations = conversations;
    }

    /// <summary>The transaction's number within its SMTP session (<see cref="CheckRecipient.Transaction"/>).</summary>
    public int Number { get; }

    /// <summary>The queue id the milters know the message by (the "i" macro), the one its 250 and logs carry.</summary>
    public string QueueId { get; }

    /// <summary>One session per configured milter, in order.</summary>
    public IReadOnlyList<MilterConversation> Conversations { get; }

    /// <summary>
    /// Asks the milters about one recipient, in order, as Postfix does at RCPT: null takes it; a refusal is the first
    /// milter's that refused it, or that refused the whole transaction at connect, HELO or MAIL. Once a milter has
    /// discarded the message, the milters after it are not asked. Never throws: failures are decided by each
    /// milter's policy.
    /// </summary>
    public Task<SmtpReply?> CheckAsync(Envelope envelope, MailboxAddress recipient)
    {
        var check = CheckCoreAsync(envelope, recipient, _abandoned.Token);
        _checking = check;
        return check;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _abandoned.CancelAsync();
        if (_checking is { } checking) await checking;
        foreach (var conversation in Conversations) await conversation.AbandonAsync();
        _abandoned.Dispose();
    }

    private async Task<SmtpReply?> CheckCoreAsync(Envelope envelope, MailboxAddress recipient, CancellationToken cancel)
    {
        foreach (var conversation in Conversations)
        {
            if (!conversation.Begun) await conversation.BeginAsync(envelope, cancel);
            var transcript = conversation.Transcript;
            if (transcript.Action is FilterAction.Reject or FilterAction.TempFail) return transcript.Reply;
            if (transcript.Action == FilterAction.Discard) return null;
            if (await conversation.RecipientAsync(recipient, cancel) is { } refusal) return refusal;
        }

        return null;
    }
}
