using MimeKit;

namespace MailIngest.Actors.Delivery;

/// <summary>The header facts a mailbox listing needs, parsed once at acceptance with MimeKit.</summary>
public sealed record MessageSummary(string? MessageId, string From, string To, string Subject, DateTimeOffset? Date, int AttachmentCount)
{
    /// <summary>
    /// Parses <paramref name="content"/> persistently (parts reference the stream instead of being copied), so
    /// a large message is not loaded into memory. The stream is left open.
    /// </summary>
    public static MessageSummary Parse(Stream content)
    {
        var message = MimeMessage.Load(content, persistent: true);
        return new MessageSummary(
            string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId,
            message.From.ToString(),
            message.To.ToString(),
            message.Subject ?? "",
            message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            message.Attachments.Count());
    }
}
