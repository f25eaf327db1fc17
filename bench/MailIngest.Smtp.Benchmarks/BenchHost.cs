using System.Net;
using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Benchmarks;

/// <summary>
/// Drives a session as the session actor does, minus the IO: feeds input, re-feeds what was not consumed,
/// answers each EndMessage at once. Effects are walked by index, as a host that wants no allocation does.
/// </summary>
internal sealed class BenchHost
{
    private static readonly DeliveryOutcome Accepted = new DeliveryOutcome.Accepted("BENCH1");
    private static readonly ConnectionInfo Peer = new(IPAddress.Loopback, IsTrusted: false);

    public BenchHost()
    {
        Session = new SmtpSession(new SmtpOptions { HostName = "mx.bench" }, Peer, new NoStatus());
        Apply(Session.Start());
    }

    public SmtpSession Session { get; }

    /// <summary>Content octets received, so the work cannot be optimised away.</summary>
    public long ContentBytes { get; private set; }

    /// <summary>Feeds <paramref name="input"/> as if it arrived in reads of <paramref name="chunkSize"/> octets.</summary>
    public void Feed(ReadOnlyMemory<byte> input, int chunkSize = int.MaxValue)
    {
        var offset = 0;
        for (var end = Math.Min(chunkSize, input.Length); ; end = Math.Min(input.Length, end + chunkSize))
        {
            // The unconsumed tail stays in place and the next read lands behind it, as in the actor's buffer.
            bool delivered;
            do
            {
                var result = Session.Feed(input[offset..end]);
                Apply(result.Effects);
                offset += result.Consumed;
                delivered = Session.AwaitingDelivery;
                if (delivered)
                {
                    Apply(Session.DeliveryCompleted(Accepted));
                }
            }
            while (delivered && offset < end);

            if (end == input.Length || Session.Closed)
            {
                return;
            }
        }
    }

    private void Apply(IReadOnlyList<SmtpEffect> effects)
    {
        for (var i = 0; i < effects.Count; i++)
        {
            if (effects[i] is AppendMessage append)
            {
                ContentBytes += append.Content.Length;
            }
        }
    }

    private sealed class NoStatus : ISmtpStatusSource
    {
        public IReadOnlyList<string> StatusLines() => [];
    }
}
