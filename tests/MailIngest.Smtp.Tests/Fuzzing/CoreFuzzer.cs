using System.Net;
using System.Text;
using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;
using MailIngest.Testing;

namespace MailIngest.Smtp.Tests.Fuzzing;

/// <summary>
/// Runs client bytes through one <see cref="SmtpSession"/> in random splits, with random delivery outcomes, TLS,
/// timeouts and drains, and checks after every call: no exception, well-formed replies, bounded unconsumed input,
/// a spool that is opened once and closed once, and nothing at all after the connection was closed.
/// </summary>
internal sealed class CoreFuzzer(Random random)
{
    // The command line cap plus the two octets DATA may leave unconsumed; nothing else may be held back.
    private const int MaxPending = 1000 + 2;

    private bool _spoolOpen;
    private bool _closed;
    private bool _tlsRequested;

    /// <summary>Feeds <paramref name="input"/>; throws <see cref="InvalidOperationException"/> naming the broken invariant.</summary>
    public void Run(byte[] input)
    {
        var options = new SmtpOptions
        {
            HostName = SmtpTestDriver.Host,
            MaxMessageBytes = random.Next(2) == 0 ? 64 : 4096,
            MaxRecipients = 3,
            TlsAvailable = random.Next(2) == 0,
            TlsRequired = random.Next(4) == 0,
        };
        var session = new SmtpSession(options, new ConnectionInfo(IPAddress.Parse("192.0.2.1"), random.Next(2) == 0),
            new StaticStatusSource(["fuzz"]), new CountingRateLimit(allowed: random.Next(1, 20)));
        Check(session.Start());
        var pending = Array.Empty<byte>();
        var offset = 0;
        while (offset < input.Length && !_closed)
        {
            var take = Math.Min(input.Length - offset, random.Next(1, 80));
            pending = [.. pending, .. input.AsSpan(offset, take)];
            offset += take;
            var result = session.Feed(pending);
            if (result.Consumed < 0 || result.Consumed > pending.Length) Fail($"consumed {result.Consumed} of {pending.Length}");
            Check(result.Effects);
            pending = pending[result.Consumed..];
            if (pending.Length > MaxPending && !session.AwaitingDelivery) Fail($"{pending.Length} octets held back");
            Interrupt(session);
        }

        Check(session.IdleTimeout());
        if (!_closed) Fail("the session did not close on the idle timeout");
        Check(session.Shutdown());
    }

    private void Interrupt(SmtpSession session)
    {
        if (session.AwaitingDelivery)
        {
            Check(session.DeliveryCompleted(random.Next(3) == 0 ? DeliveryOutcome.Deferred.Instance : new DeliveryOutcome.Accepted("Q1")));
        }

        if (_tlsRequested && !_closed)
        {
            _tlsRequested = false;
            Check(session.TlsStarted(new TlsDetails("TLSv1.3", "TLS_AES_128_GCM_SHA256")));
        }

        switch (random.Next(400))
        {
            case 0:
                Check(session.Shutdown());
                break;
            case 1:
                Check(session.SessionTimeLimit());
                break;
            case 2:
                Check(session.GracePeriodOver());
                break;
        }
    }

    private void Check(IReadOnlyList<SmtpEffect> effects)
    {
        for (var i = 0; i < effects.Count; i++)
        {
            if (_closed) Fail($"{effects[i].GetType().Name} after CloseConnection");
            switch (effects[i])
            {
                case SendReply send:
                    var wire = Encoding.ASCII.GetString(send.Reply.ToWire());
                    if (!wire.EndsWith("\r\n", StringComparison.Ordinal)) Fail($"reply without CRLF: {wire}");
                    foreach (var line in wire[..^2].Split("\r\n"))
                    {
                        if (SmtpReplyCheck.Problem(line) is { } problem) Fail(problem);
                    }

                    break;
                case BeginMessage:
                    if (_spoolOpen) Fail("BeginMessage while a spool is open");
                    _spoolOpen = true;
                    break;
                case AppendMessage:
                    if (!_spoolOpen) Fail("AppendMessage without a spool");
                    break;
                case EndMessage or DiscardMessage:
                    if (!_spoolOpen) Fail($"{effects[i].GetType().Name} without a spool");
                    _spoolOpen = false;
                    break;
                case StartTls:
                    _tlsRequested = true;
                    break;
                case CloseConnection:
                    if (_spoolOpen) Fail("closed with the spool still open");
                    _closed = true;
                    break;
            }
        }
    }

    private static void Fail(string problem) => throw new InvalidOperationException(problem);
}
