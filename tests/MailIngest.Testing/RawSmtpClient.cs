using System.Net.Sockets;
using System.Text;

namespace MailIngest.Testing;

/// <summary>A bare TCP client for byte-exact SMTP dialogues (pipelining, split writes, smuggling attempts).</summary>
public sealed class RawSmtpClient : IAsyncDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private RawSmtpClient(TcpClient client)
    {
        _client = client;
        _client.NoDelay = true;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.ASCII);
    }

    /// <summary>
    /// Connects to the SMTP port on 127.0.0.1, from <paramref name="from"/> when given (any 127.x.y.z address is
    /// loopback, so a test can act as a client address of its own).
    /// </summary>
    public static async Task<RawSmtpClient> ConnectAsync(int port, System.Net.IPAddress? from = null)
    {
        var client = from is null ? new TcpClient() : new TcpClient(new System.Net.IPEndPoint(from, 0));
        await client.ConnectAsync("127.0.0.1", port);
        return new RawSmtpClient(client);
    }

    /// <summary>
    /// A loopback connection made through a listener of its own: the client, and the server end's socket for
    /// a test that runs a session on it directly.
    /// </summary>
    public static async Task<(RawSmtpClient Client, Socket Server)> ConnectPairAsync()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptSocketAsync();
        var client = await ConnectAsync(((System.Net.IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept.WaitAsync(ReplyTimeout);
        server.NoDelay = true;
        return (client, server);
    }

    /// <summary>Closes the client side, as a client that goes away would.</summary>
    public void Disconnect() => _client.Close();

    /// <summary>Sends the text as is (the caller writes every CRLF).</summary>
    public async Task SendAsync(string text)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(text));
        await _stream.FlushAsync();
    }

    /// <summary>Sends raw bytes.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Reads one complete reply (all lines of a multi-line reply, joined with \n).</summary>
    public async Task<string> ReadReplyAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token)
                       ?? throw new EndOfStreamException($"Connection closed after: {string.Join(" | ", lines)}");
            lines.Add(line);
            if (line.Length < 4 || line[3] != '-') return string.Join('\n', lines);
        }
    }

    /// <summary>Reads <paramref name="count"/> replies.</summary>
    public async Task<IReadOnlyList<string>> ReadRepliesAsync(int count)
    {
        var replies = new List<string>();
        for (var i = 0; i < count; i++) replies.Add(await ReadReplyAsync());
        return replies;
    }

    /// <summary>True when the server closed the connection (read returns end of stream) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            return await _reader.ReadLineAsync(timeout.Token) is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
