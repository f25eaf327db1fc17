using System.Net;
using System.Text;
using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Tests.TestSupport;

/// <summary>
/// Drives a session like the host will: keeps the unconsumed remainder, appends the next chunk and feeds
/// again; copies effects and AppendMessage slices at once (they are only valid until the next call).
/// </summary>
internal sealed class SmtpTestDriver
{
    public const string Host = "mx.test";

    /// <summary>The client address every driven session has.</summary>
    public static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private readonly MemoryStream _current = new();
    private byte[] _pending = [];

    public SmtpTestDriver(SmtpOptions? options = null, bool trusted = false, string[]? status = null, bool start = true,
        ISendingRateLimit? rateLimit = null, IStorageSpace? storage = null, IMailboxQuota? quota = null)
    {
        Options = options ?? new SmtpOptions { HostName = Host };
        Session = new SmtpSession(
            Options,
            new ConnectionInfo(Client, trusted),
            new StaticStatusSource(status ?? ["node-1 up", "members 3"]),
            rateLimit,
            storage,
            quota);
        if (start)
        {
            Record(Session.Start());
        }
    }

    public SmtpOptions Options { get; }

    public SmtpSession Session { get; }

    /// <summary>When set, EndMessage is answered at once with this outcome and feeding resumes.</summary>
    public DeliveryOutcome? AutoDeliver { get; set; } = new DeliveryOutcome.Accepted("Q1");

    public List<SmtpEffect> Effects { get; } = [];

    public List<SmtpReply> Replies { get; } = [];

    /// <summary>Content of every message that reached EndMessage.</summary>
    public List<byte[]> Delivered { get; } = [];

    public List<Envelope> Envelopes { get; } = [];

    /// <summary>Content emitted for messages that were then discarded.</summary>
    public List<byte[]> Discarded { get; } = [];

    public int PendingBytes => _pending.Length;

    public IEnumerable<string> Codes => Replies.Select(r => r.EnhancedCode is null ? $"{r.Code}" : $"{r.Code} {r.EnhancedCode}");

    public string LastCode => Codes.Last();

    /// <summary>Every reply as it would go on the wire.</summary>
    public string Wire => string.Concat(Replies.Select(r => Encoding.ASCII.GetString(r.ToWire())));

    public string DeliveredText(int index = 0) => Encoding.UTF8.GetString(Delivered[index]);

    public SmtpTestDriver Send(string text) => Feed(Encoding.UTF8.GetBytes(text));

    public SmtpTestDriver Feed(byte[] chunk)
    {
        _pending = [.. _pending, .. chunk];
        while (true)
        {
            var result = Session.Feed(_pending);
            Assert.InRange(result.Consumed, 0, _pending.Length);
            Record(result.Effects);
            _pending = _pending[result.Consumed..];
            if (Session.AwaitingDelivery && AutoDeliver is not null)
            {
                Record(Session.DeliveryCompleted(AutoDeliver));
                continue;
            }

            return this;
        }
    }

    public SmtpTestDriver FeedInChunks(byte[] all, IEnumerable<int> sizes)
    {
        var offset = 0;
        foreach (var size in sizes)
        {
            var take = Math.Min(size, all.Length - offset);
            Feed(all[offset..(offset + take)]);
            offset += take;
        }

        return Feed(all[offset..]);
    }

    public void Record(IReadOnlyList<SmtpEffect> effects)
    {
        foreach (var effect in effects)
        {
            // The session reuses its effect objects on the next call; keep copies.
            Effects.Add(effect with { });
            switch (effect)
            {
                case SendReply reply:
                    Replies.Add(reply.Reply);
                    break;
                case BeginMessage:
                    _current.SetLength(0);
                    break;
                case AppendMessage append:
                    _current.Write(append.Content.Span);
                    break;
                case EndMessage end:
                    Delivered.Add(_current.ToArray());
                    Envelopes.Add(end.Envelope);
                    break;
                case DiscardMessage:
                    Discarded.Add(_current.ToArray());
                    break;
            }
        }
    }

    /// <summary>EHLO, MAIL and one RCPT, with their replies cleared.</summary>
    public SmtpTestDriver ReadyForData(string sender = "<a@sender.test>", string recipient = "<b@mx.test>")
    {
        Send($"EHLO client.test\r\nMAIL FROM:{sender}\r\nRCPT TO:{recipient}\r\n");
        Assert.Equal(["250", "250 2.1.0", "250 2.1.5"], Codes.Skip(1));
        Replies.Clear();
        Effects.Clear();
        return this;
    }
}
