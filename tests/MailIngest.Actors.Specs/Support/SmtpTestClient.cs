using System.Net;
using System.Net.Sockets;
using System.Text;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Specs.Support;

/// <summary>
/// The client end of a real loopback TCP connection, reading SMTP replies line by line. Every read has a
/// timeout, so a session that never answers fails the spec instead of hanging it.
/// </summary>
public sealed class SmtpTestClient : IDisposable
{
    /// <summary>Longest wait for one reply.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private SmtpTestClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false);
    }

    /// <summary>
    /// Opens a loopback connection. Returns the client and the server side: the accepted socket's stream
    /// (owning the socket) and what the transport knows of the peer, as <c>ListenerActor</c> builds them.
    /// </summary>
    public static async Task<(SmtpTestClient Client, NetworkStream ServerStream, ConnectionInfo Connection)> ConnectAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var accept = listener.AcceptSocketAsync();
            var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port).WaitAsync(ReplyTimeout);
            var socket = await accept.WaitAsync(ReplyTimeout);
            socket.NoDelay = true;
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            return (new SmtpTestClient(client), new NetworkStream(socket, ownsSocket: true),
                new ConnectionInfo(remote.Address, remote.Port, IsTrusted: false));
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Sends <paramref name="text"/> in one write.</summary>
    public async Task SendAsync(string text)
    {
        using var deadline = new CancellationTokenSource(ReplyTimeout);
        await _stream.WriteAsync(Encoding.Latin1.GetBytes(text), deadline.Token);
        await _stream.FlushAsync(deadline.Token);
    }

    /// <summary>Reads one complete (possibly multi-line) reply; lines are joined with "\n", without CRLF.</summary>
    public async Task<string> ReadReplyAsync()
    {
        using var deadline = new CancellationTokenSource(ReplyTimeout);
        var lines = new List<string>();
        while (true)
        {
            string? line;
            try
            {
                line = await _reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No complete reply within {ReplyTimeout}; got: [{string.Join(" | ", lines)}]");
            }

            if (line is null)
                throw new IOException($"Connection closed before a complete reply; got: [{string.Join(" | ", lines)}]");
            lines.Add(line);
            // "250-..." continues a multi-line reply; "250 ..." (or a bare code) ends it.
            if (line.Length < 4 || line[3] != '-') return string.Join("\n", lines);
        }
    }

    /// <summary>True when the server closes the connection (end of stream or reset) within the reply timeout.</summary>
    public async Task<bool> ServerClosedAsync()
    {
        using var deadline = new CancellationTokenSource(ReplyTimeout);
        try
        {
            return await _reader.ReadLineAsync(deadline.Token) is null;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Closes the client side, as a client that goes away would.</summary>
    public void Disconnect() => _client.Close();

    /// <inheritdoc />
    public void Dispose()
    {
        _reader.Dispose();
        _client.Dispose();
    }
}
