using System.Text;
using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;
using MailIngest.Testing;

namespace MailIngest.Smtp.Tests.Fuzzing;

/// <summary>
/// Checks every effect list one session returns, as it comes: well-formed replies on the wire, a spool opened once
/// and closed once, nothing at all after CloseConnection. Keeps what the fuzzer needs to go on (replies since the
/// last <see cref="TakeReplies"/>, the content of the last message, whether TLS or a delivery is asked for).
/// </summary>
internal sealed class EffectInvariants
{
    private readonly List<SmtpReply> _replies = [];
    private readonly MemoryStream _content = new();
    private bool _spoolOpen;

    public bool Closed { get; private set; }

    /// <summary>STARTTLS was answered 220 and the host has not reported TLS in place yet.</summary>
    public bool TlsRequested { get; set; }

    /// <summary>EndMessage was emitted and the host has not reported the outcome yet.</summary>
    public bool DeliveryRequested { get; set; }

    /// <summary>The content of the last message handed to delivery.</summary>
    public byte[] Delivered { get; private set; } = [];

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first broken invariant.</summary>
    public void Check(IReadOnlyList<SmtpEffect> effects)
    {
        foreach (var effect in effects)
        {
            if (Closed) Fail($"{effect.GetType().Name} after CloseConnection");
            switch (effect)
            {
                case SendReply send:
                    CheckWire(send.Reply);
                    _replies.Add(send.Reply);
                    break;
                case BeginMessage:
                    if (_spoolOpen) Fail("BeginMessage while a spool is open");
                    _spoolOpen = true;
                    _content.SetLength(0);
                    break;
                case AppendMessage append:
                    if (!_spoolOpen) Fail("AppendMessage without a spool");
                    _content.Write(append.Content.Span);
                    break;
                case EndMessage:
                    if (!_spoolOpen) Fail("EndMessage without a spool");
                    if (DeliveryRequested) Fail("EndMessage while a delivery is pending");
                    _spoolOpen = false;
                    DeliveryRequested = true;
                    Delivered = _content.ToArray();
                    break;
                case DiscardMessage:
                    if (!_spoolOpen) Fail("DiscardMessage without a spool");
                    _spoolOpen = false;
                    break;
                case StartTls:
                    TlsRequested = true;
                    break;
                case CloseConnection:
                    if (_spoolOpen) Fail("closed with the spool still open");
                    Closed = true;
                    break;
            }
        }
    }

    /// <summary>The replies since the last call, as "code enhanced-code" ("250 2.1.0", "354").</summary>
    public List<string> TakeReplies()
    {
        var codes = _replies.Select(r => r.EnhancedCode is null ? $"{r.Code}" : $"{r.Code} {r.EnhancedCode}").ToList();
        _replies.Clear();
        return codes;
    }

    /// <summary>True when the last reply since <see cref="TakeReplies"/> is this very reply object.</summary>
    public bool LastReplyIs(SmtpReply reply) => _replies.Count > 0 && ReferenceEquals(_replies[^1], reply);

    public static void Fail(string problem) => throw new InvalidOperationException(problem);

    private static void CheckWire(SmtpReply reply)
    {
        // Latin-1 keeps every octet as one character, so a non-ASCII octet cannot hide behind a replacement.
        var wire = Encoding.Latin1.GetString(reply.ToWire());
        if (!wire.EndsWith("\r\n", StringComparison.Ordinal)) Fail($"reply without CRLF: {wire}");
        string? previous = null;
        foreach (var line in wire[..^2].Split("\r\n"))
        {
            if ((SmtpReplyCheck.Problem(line) ?? SmtpReplyCheck.ContinuationProblem(previous, line)) is { } problem) Fail(problem);
            previous = line;
        }

        if (previous is { Length: > 3 } && previous[3] == '-') Fail($"multiline reply whose last line is a continuation: {wire}");
    }
}
