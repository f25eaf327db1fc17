using MailIngest.Actors.Mailboxes;
using MimeKit;

namespace MailIngest.Host.Admin;

/// <summary>The parsed JSON form of a stored message.</summary>
public sealed record MessageView(
    MessageListItem Summary,
    IReadOnlyList<HeaderView> Headers,
    string TextPreview,
    IReadOnlyList<AttachmentView> Attachments)
{
    private const int PreviewLength = 2000;

    /// <summary>Parses the stored bytes (trace headers included) of <paramref name="message"/>.</summary>
    public static MessageView Parse(StoredMessageV1 message, byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        var parsed = MimeMessage.Load(stream);
        var text = parsed.TextBody ?? HtmlToText(parsed.HtmlBody) ?? "";
        return new MessageView(
            MessageListItem.Of(message),
            parsed.Headers.Select(header => new HeaderView(header.Field, header.Value)).ToArray(),
            text.Length > PreviewLength ? text[..PreviewLength] : text,
            parsed.Attachments.Select(AttachmentView.From).ToArray());
    }

    private static string? HtmlToText(string? html) =>
        html is null ? null : System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", " ");
}

/// <summary>One header field.</summary>
public sealed record HeaderView(string Name, string Value);

/// <summary>One attachment's description.</summary>
public sealed record AttachmentView(string? FileName, string ContentType, long? Size)
{
    /// <summary>Describes an attachment part.</summary>
    public static AttachmentView From(MimeEntity entity) => new(
        entity is MimePart part ? part.FileName : entity.ContentDisposition?.FileName,
        entity.ContentType.MimeType,
        (entity as MimePart)?.Content?.Stream?.Length);
}
