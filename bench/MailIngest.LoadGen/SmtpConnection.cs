using System.Net.Sockets;
using System.Text;

namespace MailIngest.LoadGen;

/// <summary>A raw SMTP client connection: writes commands, reads (multi-line) replies; no library in between.</summary>
public sealed class SmtpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    private SmtpConnection(Socket socket) => _socket = socket;

    /// <summary>True when the EHLO reply advertised PIPELINING (RFC 2920).</summary>
    public bool Pipelining { get; private set; }

    /// <summary>Connects, reads the greeting and says EHLO; throws <see cref="SmtpException"/> on an unexpected reply.</summary>
    public static async Task<SmtpConnection> OpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
        }
        catch (SocketException)
        {
            socket.Dispose();
            throw new SmtpException("connect-refused");
        }

        var connection = new SmtpConnection(socket);
        await connection.ExpectAsync(220, cancellationToken);
        await connection.SendAsync("EHLO loadgen.example.org\r\n"u8.ToArray(), cancellationToken);
        var ehlo = await connection.ExpectAsync(250, cancellationToken);
        connection.Pipelining = ehlo.Contains("PIPELINING", StringComparison.OrdinalIgnoreCase);
        return connection;
    }

    /// <summary>Writes bytes as they are.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// Reads one reply; throws <see cref="SmtpException"/> named after its code unless it is <paramref name="code"/>
    /// (or <paramref name="alsoAccept"/>, e.g. 251 for RCPT).
    /// </summary>
    public async Task<string> ExpectAsync(int code, CancellationToken cancellationToken, int alsoAccept = 0)
    {
        var reply = await ReadReplyAsync(cancellationToken);
        var received = reply.Length >= 3 && int.TryParse(reply.AsSpan(0, 3), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : -1;
        if (received < 0) throw new SmtpException("garbled");
        if (received != code && (alsoAccept == 0 || received != alsoAccept)) throw new SmtpException(reply[..3]);
        return reply;
    }

    private async Task<string> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var reply = new StringBuilder();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            reply.Append(line).Append('\n');
            // RFC 5321 §4.2.1: "250-" continues, "250 " ends the reply.
            if (line.Length < 4 || line[3] != '-') return reply.ToString();
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (lf >= 0)
            {
                var line = Encoding.ASCII.GetString(_buffer, _start, lf - _start).TrimEnd('\r');
                _start = lf + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length) throw new SmtpException("io");
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
            if (read == 0) throw new SmtpException("closed");
            _end += read;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A transaction failed; <see cref="Exception.Message"/> is the reply code or the kind of failure.</summary>
public sealed class SmtpException(string kind) : Exception(kind);
