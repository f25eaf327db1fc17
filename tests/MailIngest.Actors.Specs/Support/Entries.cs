using MailIngest.Actors.Mailboxes;

namespace MailIngest.Actors.Specs.Support;

/// <summary>Message entries as the delivery would build them.</summary>
public static class Entries
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The <paramref name="n"/>th entry: unique id, dedup key and subject; received n seconds after the epoch.</summary>
    public static MessageEntry Numbered(int n) => new(
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
        AttachmentCount: n % 3,
        ReceivedAt: Epoch.AddSeconds(n));
}
