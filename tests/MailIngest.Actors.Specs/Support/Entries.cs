using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Specs.Support;

/// <summary>Message copies as the delivery would build them, and their stored form.</summary>
public static class Entries
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The <paramref name="n"/>th entry: unique id, dedup key and subject; received n seconds after the epoch.</summary>
    public static MessageCopy Numbered(int n) => new(
        Id: $"Q{n:D6}",
        ContentKey: $"{n:x64}",
        DedupKey: $"<m{n}@example.org>|{n:x64}",
        TraceHeaders: "Return-Path: <a@example.org>\r\nReceived: from client by spec; Wed, 1 Jan 2025 12:00:00 +0000\r\n",
        MessageId: $"m{n}@example.org",
        From: "a@example.org",
        To: "b@example.org",
        Subject: $"Message {n}",
        Date: Epoch.AddSeconds(n),
        Size: 100 + n,
        ReceivedAt: Epoch.AddSeconds(n));

    /// <summary>The journal's form of <see cref="Numbered"/>, as the list and lookup answers carry it.</summary>
    public static StoredMessageV1 Stored(int n) => StoredMessageV1.Of(Numbered(n));

    /// <summary>
    /// A copy of a message without Message-ID (an alert script, a printer): every such copy from the same sender with the
    /// same content has the same dedup key, whatever its queue id.
    /// </summary>
    public static MessageCopy WithoutMessageId(string queueId) => Numbered(1) with
    {
        Id = queueId,
        MessageId = null,
        DedupKey = $"<a@example.org> {1:x64}",
    };
}
