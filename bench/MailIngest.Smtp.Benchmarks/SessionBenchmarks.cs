using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using MailIngest.Smtp;
using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Benchmarks;

/// <summary>
/// The core's hot paths as the session actor drives them: command lines, and DATA scanning with dot-unstuffing
/// fed in the pipe's 16 KiB pieces. Allocations per operation are the figure to watch.
/// </summary>
[MemoryDiagnoser]
public class SessionBenchmarks
{
    private const int Piece = 16 * 1024;
    private static readonly ConnectionInfo Client = new(IPAddress.Loopback, 40000, IsTrusted: false);
    private static readonly SmtpOptions Options = new() { HostName = "mx.bench" };
    private readonly StatusSource _status = new();
    private byte[] _commands = [];
    private byte[] _transaction = [];
    private byte[] _body = [];
    private readonly byte[] _noop = "NOOP\r\n"u8.ToArray();
    private byte[] _piece = [];
    private SmtpSession _open = null!;
    private SmtpSession _inData = null!;

    [Params(4 * 1024, 64 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _commands = "EHLO client.example.org\r\nMAIL FROM:<alice@example.org> SIZE=4096 BODY=8BITMIME\r\nRCPT TO:<bob@example.com>\r\nNOOP\r\nRSET\r\n"u8.ToArray();
        var body = new StringBuilder("From: a@example.org\r\nSubject: bench\r\n\r\n");
        // Every 20th line starts with a dot, so unstuffing is on the path too.
        for (var line = 0; body.Length < Size; line++) body.Append(line % 20 == 0 ? "..dotted" : "").Append(new string('x', 70)).Append("\r\n");
        _body = Encoding.ASCII.GetBytes(body.ToString());
        _transaction = [.. "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n"u8, .. _body, .. ".\r\n"u8];
        var lines = new StringBuilder();
        for (var line = 0; lines.Length < Piece - 80; line++) lines.Append(line % 20 == 0 ? "..dotted" : "").Append(new string('y', 70)).Append("\r\n");
        _piece = Encoding.ASCII.GetBytes(lines.ToString());
        _open = Started();
        _open.Feed("EHLO client.example.org\r\n"u8.ToArray());
        // No size cap, so the session stays in DATA however many pieces it is fed.
        _inData = new SmtpSession(new SmtpOptions { HostName = "mx.bench", MaxMessageBytes = long.MaxValue }, Client, _status);
        _inData.Start();
        _inData.Feed("EHLO c\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n"u8.ToArray());
    }

    /// <summary>A new session: greeting, then EHLO, MAIL with parameters, RCPT, NOOP, RSET in one read.</summary>
    [Benchmark]
    public int SessionWithFiveCommands()
    {
        var session = Started();
        return FeedAll(session, _commands);
    }

    /// <summary>Steady state of a command: one NOOP line on a session that is already open.</summary>
    [Benchmark]
    public int CommandLine() => _open.Feed(_noop).Consumed;

    /// <summary>Steady state of DATA: one 16 KiB read of content lines (every 20th dot-stuffed).</summary>
    [Benchmark]
    public int DataPiece() => _inData.Feed(_piece).Consumed;

    /// <summary>A whole transaction (MAIL, RCPT, DATA, content, end of data, 250) in 16 KiB pieces.</summary>
    [Benchmark]
    public int Transaction()
    {
        var session = Started();
        FeedAll(session, "EHLO client.example.org\r\n"u8.ToArray());
        var consumed = FeedAll(session, _transaction);
        return consumed + session.DeliveryCompleted(new DeliveryOutcome.Accepted("Q1")).Count;
    }

    private SmtpSession Started()
    {
        var session = new SmtpSession(Options, Client, _status);
        session.Start();
        return session;
    }

    // Like the pipe: each read adds up to 16 KiB after what the core left unconsumed.
    private static int FeedAll(SmtpSession session, byte[] input)
    {
        var (start, end) = (0, 0);
        while (start < input.Length && !session.AwaitingDelivery)
        {
            end = Math.Min(end + Piece, input.Length);
            var result = session.Feed(input.AsMemory(start, end - start));
            start += result.Consumed;
            if (result.Consumed == 0 && end == input.Length) break;
        }

        return start;
    }

    private sealed class StatusSource : ISmtpStatusSource
    {
        public IReadOnlyList<string> StatusLines() => ["bench"];
    }
}
