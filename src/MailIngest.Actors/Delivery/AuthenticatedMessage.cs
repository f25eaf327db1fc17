using MailIngest.Actors.Mailboxes;
using MailIngest.Smtp.Replies;

namespace MailIngest.Actors.Delivery;

/// <summary>What authentication made of a message, and what delivery is to do with it.</summary>
/// <param name="Verdict">The verdicts, stored with every copy.</param>
/// <param name="Header">The Authentication-Results field (with its CRLF) to put in front of the content.</param>
/// <param name="Refusal">Set when the message must not be stored (Mode Enforce, DMARC says reject).</param>
/// <param name="Rewritten">The content without the received Authentication-Results fields that claimed to be ours;
/// null when there were none. Owned by this record: disposed with it.</param>
public sealed record AuthenticatedMessage(AuthenticationV1 Verdict, string Header, SmtpReply? Refusal, MessageSpool? Rewritten) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Rewritten?.Dispose();
}
