using System.Text;
using BenchmarkDotNet.Attributes;
using MailIngest.Smtp.Data;

namespace MailIngest.Smtp.Benchmarks;

/// <summary>
/// DATA content through <see cref="DataReader"/> in 16 KiB reads (the session actor's read size), with
/// every fourth line dot-stuffed or none. One operation is one message.
/// </summary>
[MemoryDiagnoser]
public class DataReaderBenchmarks
{
    private const int ChunkSize = 16 * 1024;

    private readonly List<Range> _segments = [];
    private byte[] _content = [];

    [Params(4 * 1024, 64 * 1024)]
    public int BodyBytes { get; set; }

    [Params(false, true)]
    public bool DotStuffed { get; set; }

    [GlobalSetup]
    public void Setup() => _content = Content(BodyBytes, DotStuffed);

    [Benchmark]
    public long ReadMessage()
    {
        var reader = new DataReader(long.MaxValue);
        var offset = 0;
        for (var end = Math.Min(ChunkSize, _content.Length); ; end = Math.Min(_content.Length, end + ChunkSize))
        {
            _segments.Clear();
            var result = reader.Read(_content.AsSpan(offset, end - offset), _segments);
            offset += result.Consumed;
            if (result.Ended)
            {
                return offset;
            }
        }
    }

    /// <summary>Lines of 78 octets plus CRLF up to <paramref name="bytes"/>, then the end-of-data line.</summary>
    internal static byte[] Content(int bytes, bool dotStuffed)
    {
        var text = new StringBuilder();
        for (var line = 0; text.Length < bytes; line++)
        {
            var stuffed = dotStuffed && line % 4 == 0;
            text.Append(stuffed ? ".." : "ab").Append('x', 76).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append(".\r\n").ToString());
    }
}
