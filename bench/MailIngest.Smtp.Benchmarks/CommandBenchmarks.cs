using System.Text;
using BenchmarkDotNet.Attributes;

namespace MailIngest.Smtp.Benchmarks;

/// <summary>
/// One command line read, parsed and answered by a session in a state where the command can repeat forever,
/// so each operation is the steady state of that command.
/// </summary>
[MemoryDiagnoser]
public class CommandBenchmarks
{
    private static readonly byte[] Ehlo = Encoding.ASCII.GetBytes("EHLO client.example.org\r\n");
    private static readonly byte[] Noop = Encoding.ASCII.GetBytes("NOOP\r\n");

    // MAIL cannot follow MAIL, so RSET ends each transaction; it costs about what NOOP does.
    private static readonly byte[] MailThenRset =
        Encoding.ASCII.GetBytes("MAIL FROM:<sender@example.org> SIZE=4096 BODY=8BITMIME\r\nRSET\r\n");

    // The same recipient again is acknowledged and kept once, so the transaction does not grow.
    private static readonly byte[] Rcpt = Encoding.ASCII.GetBytes("RCPT TO:<recipient@example.com>\r\n");

    private static readonly byte[] Transaction = Encoding.ASCII.GetBytes(
        "MAIL FROM:<sender@example.org> SIZE=1024 BODY=8BITMIME\r\n"
        + "RCPT TO:<first@example.com>\r\nRCPT TO:<second@example.com>\r\nDATA\r\n"
        + string.Concat(Enumerable.Repeat("Subject: line of a short message body, about 64 octets long\r\n", 16))
        + ".\r\n");

    private BenchHost _greeted = null!;
    private BenchHost _inTransaction = null!;

    [GlobalSetup]
    public void Setup()
    {
        _greeted = new BenchHost();
        _greeted.Feed(Ehlo);
        _inTransaction = new BenchHost();
        _inTransaction.Feed(Encoding.ASCII.GetBytes("EHLO client.example.org\r\nMAIL FROM:<sender@example.org>\r\n"));
        _inTransaction.Feed(Rcpt);
    }

    [Benchmark]
    public void EhloLine() => _greeted.Feed(Ehlo);

    [Benchmark]
    public void NoopLine() => _greeted.Feed(Noop);

    [Benchmark]
    public void MailFromWithParametersThenRset() => _greeted.Feed(MailThenRset);

    [Benchmark]
    public void RcptToLine() => _inTransaction.Feed(Rcpt);

    /// <summary>MAIL, two RCPT, DATA, 1 KiB of content and the end of data in one read (RFC 2920), then 250.</summary>
    [Benchmark]
    public void PipelinedTransaction() => _greeted.Feed(Transaction);
}
