using MailIngest.Actors.Delivery;
using MailIngest.Smtp.Milter;
using MimeKit;

namespace MailIngest.Actors.Authentication;

/// <summary>
/// A spooled message as the checks read it: its header fields as received (split, not parsed), its body as a stream,
/// and a MIME parse made only when a check needs one (Ed25519 signatures and ARC sets, which MimeKit verifies).
/// </summary>
public sealed class SpooledMessage(MessageSpool spool, HeaderSection headers, int bodyStart)
{
    private Task<MimeMessage>? _mime;

    /// <summary>Each field's name as received (white space before the colon included) and raw value (after the colon,
    /// folding and CRLF included): what RFC 6376's canonicalizations work on.</summary>
    public IReadOnlyList<(byte[] Name, byte[] Value)> Fields { get; } = headers.Fields.Select(Split).ToArray();

    /// <summary>The header section, for the fields' names and values.</summary>
    public HeaderSection Headers => headers;

    /// <summary>The body from its first octet; the spool keeps ownership.</summary>
    public Stream OpenBody() => spool.RewindTo(bodyStart);

    /// <summary>The whole message parsed by MimeKit, once.</summary>
    public Task<MimeMessage> MimeAsync(CancellationToken cancellation) =>
        _mime ??= MimeMessage.LoadAsync(spool.Rewind(), persistent: true, cancellation);

    private static (byte[] Name, byte[] Value) Split(HeaderField field)
    {
        var colon = Array.IndexOf(field.Raw, (byte)':');
        return colon < 0 ? (field.Raw, []) : (field.Raw[..colon], field.Raw[(colon + 1)..]);
    }
}
