using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MailIngest.Smtp.Milter;

namespace MailIngest.Actors.Filters;

/// <summary>
/// One connection to a milter, TCP or Unix socket: packets queued by <see cref="Send"/> go out together when the
/// next reply is awaited (a command's macros and the command in one write), replies are read through a buffer (a
/// reply's length and body in one read), every wait bounded by its timeout.
/// </summary>
internal sealed class MilterChannel : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ArrayBufferWriter<byte> _pending = new(1024);
    private byte[] _input = new byte[4096];
    private int _inputStart;
    private int _inputEnd;

    private MilterChannel(Socket socket) => _socket = socket;

    /// <summary>Connects within <paramref name="timeout"/>, or throws a <see cref="MilterFailure"/> of kind "connect".</summary>
    public static async Task<MilterChannel> ConnectAsync(MilterAddress address, TimeSpan timeout, CancellationToken cancel)
    {
        EndPoint endPoint = address.Path is { } path
            ? new UnixDomainSocketEndPoint(path)
            : IPAddress.TryParse(address.Host, out var ip) ? new IPEndPoint(ip, address.Port) : new DnsEndPoint(address.Host!, address.Port);
        var socket = address.Path is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, limit.Token);
            return new MilterChannel(socket);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            cancel.ThrowIfCancellationRequested();
            throw new MilterFailure("connect", error is OperationCanceledException
                ? $"no connection to {address} within {timeout.TotalMilliseconds:0} ms"
                : $"cannot connect to {address}: {error.Message}", error);
        }
    }

    /// <summary>
    /// True while the milter has neither closed the connection nor sent anything unasked: an idle connection that
    /// may carry the next session. A readable socket with nothing asked for means an end of file, a reset or garbage.
    /// </summary>
    public bool IsQuiet => _inputStart == _inputEnd && !_socket.Poll(0, SelectMode.SelectRead);

    /// <summary>Queues a packet; it is written with the next <see cref="ReceiveAsync"/> or <see cref="FlushAsync"/>.</summary>
    public void Send(byte[] packet) => _pending.Write(packet);

    /// <summary>Writes what is queued.</summary>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken cancel)
    {
        if (_pending.WrittenCount == 0) return;
        using var limit = Limit(timeout, cancel);
        try
        {
            await _socket.SendAsync(_pending.WrittenMemory, SocketFlags.None, limit.Token);
            _pending.ResetWrittenCount();
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            throw Failed(error, timeout, cancel, "writing");
        }
    }

    /// <summary>Writes what is queued, then reads one reply within <paramref name="timeout"/>.</summary>
    public async Task<MilterReply> ReceiveAsync(TimeSpan timeout, CancellationToken cancel)
    {
        await FlushAsync(timeout, cancel);
        using var limit = Limit(timeout, cancel);
        try
        {
            var header = await ReadAsync(4, limit.Token);
            var length = MilterPacket.ReadLength(header.Span);
            if (length < 0)
                throw new MilterFailure("protocol", $"protocol: a reply length of {BinaryPrimitives.ReadUInt32BigEndian(header.Span)} octets");
            var packet = (await ReadAsync(length, limit.Token)).Span;
            return MilterReply.Parse(packet[0], packet[1..]);
        }
        catch (Exception error) when (error is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            throw Failed(error, timeout, cancel, "reading");
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The next <paramref name="count"/> octets received; valid until the next read.</summary>
    private async ValueTask<ReadOnlyMemory<byte>> ReadAsync(int count, CancellationToken cancel)
    {
        if (_inputEnd - _inputStart < count && _input.Length - _inputStart < count)
        {
            // Room at the end: what is buffered moves to the front, into a larger array when one reply needs it.
            var target = count > _input.Length ? new byte[count] : _input;
            Buffer.BlockCopy(_input, _inputStart, target, 0, _inputEnd - _inputStart);
            (_input, _inputEnd, _inputStart) = (target, _inputEnd - _inputStart, 0);
        }

        while (_inputEnd - _inputStart < count)
        {
            var read = await _socket.ReceiveAsync(_input.AsMemory(_inputEnd), SocketFlags.None, cancel);
            if (read == 0) throw new MilterFailure("closed", "the milter closed the connection");
            _inputEnd += read;
        }

        var octets = _input.AsMemory(_inputStart, count);
        _inputStart += count;
        return octets;
    }

    private static CancellationTokenSource Limit(TimeSpan timeout, CancellationToken cancel)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        return limit;
    }

    private static Exception Failed(Exception error, TimeSpan timeout, CancellationToken cancel, string doing)
    {
        if (error is OperationCanceledException && cancel.IsCancellationRequested) return error;
        return error is OperationCanceledException
            ? new MilterFailure("timeout", $"no answer within {timeout.TotalMilliseconds:0} ms", error)
            : new MilterFailure("closed", $"connection lost while {doing}: {error.Message}", error);
    }
}
