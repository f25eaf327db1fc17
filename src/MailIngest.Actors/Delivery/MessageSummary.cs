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
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(content, persistent: true);
        }
        catch (FormatException)
        {
            // RFC 5321 does not require header fields: content MimeKit cannot parse (empty, no header block) is
            // stored and listed without a summary rather than deferred forever.
            return new MessageSummary(null, "", "", "", null, 0);
        }

        return new MessageSummary(
            string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId,
            message.From.ToString(),
            message.To.ToString(),
            message.Subject ?? "",
            message.Headers.Contains(HeaderId.Date) ? message.Date : null,
            message.Attachments.Count());
    }
}
