using System.Net;
using System.Text;
using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests.Fuzzing;

/// <summary>
/// Runs client bytes through one <see cref="SmtpSession"/> as the host does (random read sizes, the unconsumed rest
/// fed again, nothing read while a delivery is pending), with random limits, delivery outcomes, TLS, timeouts and
/// drains between reads. After every call: the checks of <see cref="EffectInvariants"/> and a bound on what is left
/// unconsumed. At the end: a closed session stays silent whatever comes, an open one still serves a normal
/// transaction. A broken invariant throws <see cref="InvalidOperationException"/>.
/// </summary>
internal sealed class CoreFuzzer
{
    private static readonly TlsDetails Tls = new("TLSv1.3", "TLS_AES_128_GCM_SHA256");
    private static readonly byte[] Message = "Subject: after fuzz\r\n\r\nstill serving\r\n"u8.ToArray();

    // Ways back to a command boundary, tried in order: the input may have stopped inside a command line, DATA
    // content (which needs its end of data) or a BDAT chunk (which needs its octets).
    private static readonly string Filler = new string('x', 65536) + "\r\n.\r\nRSET\r\n";
    private static readonly string[] WaysBack = ["RSET\r\n", "\r\n.\r\nRSET\r\n", Filler, Filler, Filler];

    private readonly Random _random;
    private readonly SmtpOptions _options;
    private readonly CountingRateLimit _rateLimit;
    private readonly int _allowedTransactions;
    private readonly SmtpSession _session;
    private readonly EffectInvariants _effects = new();
    private byte[] _pending = [];

    // Shutdown or SessionTimeLimit was called: a 421 after the transaction in flight is then expected.
    private bool _closeAnnounced;

    public CoreFuzzer(Random random)
    {
        _random = random;
        _options = new SmtpOptions
        {
            HostName = SmtpTestDriver.Host,
            MaxMessageBytes = random.Next(2) == 0 ? 64 : 4096,
            MaxRecipients = 3,
            MaxErrors = random.Next(2, 12),
            MaxCommandsWithoutMail = random.Next(5, 100),
            TlsAvailable = random.Next(2) == 0,
            TlsRequired = random.Next(4) == 0,
        };
        _allowedTransactions = random.Next(1, 20);
        _rateLimit = new CountingRateLimit(_allowedTransactions);
        _session = new SmtpSession(_options, new ConnectionInfo(IPAddress.Parse("192.0.2.1"), random.Next(2) == 0),
            new StaticStatusSource(["fuzz"]), _rateLimit);
    }

    public FuzzOutcome Run(byte[] input)
    {
        _effects.Check(_session.Start());
        var offset = 0;
        while (offset < input.Length && !_effects.Closed)
        {
            var take = Math.Min(input.Length - offset, _random.Next(1, 80));
            Feed(input.AsSpan(offset, take));
            offset += take;
            BetweenReads();
        }

        if (!_effects.Closed) return ServeNormalTransaction();
        StaysSilent(input.AsSpan(offset));
        return FuzzOutcome.Closed;
    }

    private void Feed(ReadOnlySpan<byte> chunk)
    {
        _pending = [.. _pending, .. chunk];
        var result = _session.Feed(_pending);
        if (result.Consumed < 0 || result.Consumed > _pending.Length) EffectInvariants.Fail($"consumed {result.Consumed} of {_pending.Length}");
        _effects.Check(result.Effects);
        _pending = _pending[result.Consumed..];

        // A partial command line under the cap, or the "." / ".\r" that may start an end of data. While a delivery
        // is pending the host reads nothing more, so what is left then was read before and is fed again after.
        if (!_session.AwaitingDelivery && _pending.Length > _options.MaxCommandLineBytes + 2)
        {
            EffectInvariants.Fail($"{_pending.Length} octets left unconsumed");
        }
    }

    // What the host may report between two reads: now and then a timer or a drain, then TLS and delivery outcomes.
    private void BetweenReads()
    {
        switch (_random.Next(400))
        {
            case 0:
                _closeAnnounced = true;
                _effects.Check(_session.Shutdown());
                break;
            case 1:
                _closeAnnounced = true;
                _effects.Check(_session.SessionTimeLimit());
                break;
            case 2:
                _effects.Check(_session.GracePeriodOver());
                break;
            case 3:
                _effects.Check(_session.IdleTimeout());
                break;
        }

        Settle(_random.Next(3) == 0 ? DeliveryOutcome.Deferred.Instance : new DeliveryOutcome.Accepted("Q1"));
    }

    // TLS in place, delivery outcomes in; after an outcome the host feeds what it had not consumed, which may hold
    // the next message or STARTTLS.
    private void Settle(DeliveryOutcome outcome)
    {
        while (_effects.TlsRequested || _effects.DeliveryRequested)
        {
            if (_effects.TlsRequested)
            {
                _effects.TlsRequested = false;
                _effects.Check(_session.TlsStarted(Tls));
            }

            if (_effects.DeliveryRequested)
            {
                _effects.DeliveryRequested = false;
                _effects.Check(_session.DeliveryCompleted(outcome));
                Feed([]);
            }
        }
    }

    // After CloseConnection the host may still hand in what it had read, a late outcome or a timer: all stay silent.
    private void StaysSilent(ReadOnlySpan<byte> rest)
    {
        Feed(rest);
        Settle(new DeliveryOutcome.Accepted("Q2"));
        _effects.Check(_session.IdleTimeout());
        _effects.Check(_session.Shutdown());
        _effects.Check(_session.GracePeriodOver());
        _effects.Check(_session.SessionTimeLimit());
    }

    private FuzzOutcome ServeNormalTransaction()
    {
        if (!ReachCommandBoundary()) return _effects.Closed ? FuzzOutcome.Closed : FuzzOutcome.InsideLargeChunk;
        _effects.TakeReplies();
        if (!Expect("EHLO client.test\r\n", "250")) return FuzzOutcome.Closed;

        var mail = _options is { TlsAvailable: true, TlsRequired: true } && !_session.Secure ? "530 5.7.0"
            : _rateLimit.Asked.Count < _allowedTransactions ? "250 2.1.0"
            : "450 4.7.1";
        if (!Expect("MAIL FROM:<a@example.org>\r\n", mail)) return FuzzOutcome.Closed;
        if (mail == "250 2.1.0")
        {
            if (!Expect("RCPT TO:<b@example.com>\r\n", "250 2.1.5") || !Expect("DATA\r\n", "354")) return FuzzOutcome.Closed;
            if (!Expect([.. Message, .. ".\r\n"u8], "250 2.0.0")) return FuzzOutcome.Closed;
            if (!_effects.Delivered.AsSpan().SequenceEqual(Message)) EffectInvariants.Fail("the normal message was delivered altered");
        }

        Step("QUIT\r\n"u8);
        if (_effects.TakeReplies() is not ["221 2.0.0"] || !_effects.Closed) EffectInvariants.Fail("QUIT did not get 221 and close");
        StaysSilent([]);
        return FuzzOutcome.ServedNormalTransaction;
    }

    private bool ReachCommandBoundary()
    {
        _effects.TakeReplies();
        foreach (var way in WaysBack)
        {
            if (TryWayBack(way)) return true;
            if (_effects.Closed) return false;
            if (_effects.TakeReplies().Count > 0 && ReferenceEquals(way, Filler))
            {
                // The chunk ended inside the filler, possibly inside its RSET: a plain RSET must work now.
                if (TryWayBack("RSET\r\n")) return true;
                if (!_effects.Closed) throw new InvalidOperationException($"RSET after a chunk got {string.Join(", ", _effects.TakeReplies())}");
                return false;
            }
        }

        // Every filler octet went silently into a chunk: the client declared a bigger one, and the session waits for it.
        return false;
    }

    private bool TryWayBack(string way)
    {
        Step(Encoding.ASCII.GetBytes(way));
        if (_effects.Closed)
        {
            // The fuzzed input's unfinished last line, completed by the way back, is the client's own command: a
            // QUIT (221) or a BDAT whose size cannot be read (501: the chunk's end is unknown) rightly closes.
            var bdat = _effects.LastReplyIs(SmtpReplies.BdatSyntaxError);
            var replies = _effects.TakeReplies();
            if (!bdat && replies is not [.., "221 2.0.0"]) ExpectLimitClose(replies, "reaching a command boundary");
        }

        // RSET answered last and nothing left over: the next octet starts a command.
        return !_effects.Closed && _effects.LastReplyIs(SmtpReplies.Ok) && _pending.Length == 0;
    }

    private bool Expect(string command, string expected) => Expect(Encoding.ASCII.GetBytes(command), expected);

    /// <summary>True when <paramref name="input"/> got exactly <paramref name="expected"/>; false when a limit closed the session.</summary>
    private bool Expect(byte[] input, string expected)
    {
        Step(input);
        var replies = _effects.TakeReplies();
        if (!_effects.Closed && replies.SequenceEqual([expected])) return true;

        // A limit the fuzzed input used up (errors, commands without mail) or an announced drain may close the
        // session here, after the expected reply or instead of it; nothing else may differ.
        if (_effects.Closed && (replies.Count == 1 || (replies.Count == 2 && replies[0] == expected)))
        {
            ExpectLimitClose(replies, Encoding.UTF8.GetString(input).Trim());
            return false;
        }

        throw new InvalidOperationException(
            $"'{Encoding.UTF8.GetString(input).Trim()}' after the fuzzed input: expected {expected}, got {string.Join(", ", replies)}");
    }

    private void Step(ReadOnlySpan<byte> input)
    {
        Feed(input);
        Settle(new DeliveryOutcome.Accepted("Q9"));
    }

    private void ExpectLimitClose(List<string> replies, string during)
    {
        string[] allowed = _closeAnnounced ? ["421 4.7.0", "421 4.3.2", "421 4.4.2"] : ["421 4.7.0"];
        if (replies.Count == 0 || !allowed.Contains(replies[^1]))
        {
            EffectInvariants.Fail($"closed with {string.Join(", ", replies)} while {during}");
        }
    }
}
