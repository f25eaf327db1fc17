using System.Text;
using BenchmarkDotNet.Attributes;

namespace MailIngest.Smtp.Benchmarks;

/// <summary>
/// A whole connection through <see cref="Session.SmtpSession.Feed"/>: greeting, EHLO, one transaction with a
/// 64 KiB dot-stuffed message read in 16 KiB pieces, QUIT. Includes creating the session.
/// </summary>
[MemoryDiagnoser]
public class SessionBenchmarks
{
    private const int ChunkSize = 16 * 1024;

    private static readonly byte[] Transcript =
    [
        .. Encoding.ASCII.GetBytes(
            "EHLO client.example.org\r\nMAIL FROM:<sender@example.org> SIZE=70000\r\nRCPT TO:<rcpt@example.com>\r\nDATA\r\n"),
        .. DataReaderBenchmarks.Content(64 * 1024, dotStuffed: true),
        .. Encoding.ASCII.GetBytes("QUIT\r\n"),
    ];

    [Benchmark]
    public long WholeSession()
    {
        var host = new BenchHost();
        host.Feed(Transcript, ChunkSize);
        return host.ContentBytes;
    }
}
