using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Akka.Actor;
using Akka.Event;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Transport;

/// <summary>
/// Makes an accepted connection ready for the greeting. Behind a PROXY-protocol balancer it reads the header and asks
/// the listener whether the client it names may be served; on an implicit-TLS listener it negotiates TLS. The header
/// and the answer must come within <c>timeout</c> of the start, as a first command must, and the handshake gets as
/// long again. Runs off the session's thread and logs through the session's log, so its lines read as the session's.
/// </summary>
/// <param name="listener">The listener that admits clients (<see cref="ListenerProtocol.Admit"/>).</param>
/// <param name="implicitTls">The certificate to negotiate TLS with before the greeting; null: the connection stays clear.</param>
/// <param name="timeout">The command timeout.</param>
/// <param name="log">The session's log.</param>
public sealed class ConnectionOpener(IActorRef listener, TlsCertificateSource? implicitTls, TimeSpan timeout, ILoggingAdapter log)
{
    /// <summary>The ready connection, or null when it was closed: no valid PROXY header, no answer in time, TLS failed.</summary>
    /// <param name="stream">The accepted socket's stream.</param>
    /// <param name="input">The reader over <paramref name="stream"/>.</param>
    /// <param name="connection">The socket's peer.</param>
    /// <param name="admission">The listener's answer; null behind a PROXY-protocol balancer, where the header names the client to ask about.</param>
    /// <param name="session">The session serving the connection, which the listener counts against the client's limit.</param>
    /// <param name="closing">Cancelled when the session stops; whatever is under way then ends without a word.</param>
    public async Task<OpenedConnection?> OpenAsync(Stream stream, PipeReader input, ConnectionInfo connection, Admission? admission,
        IActorRef session, CancellationToken closing)
    {
        if (admission is not { } decided)
        {
            var admitted = await AdmitAsync(input, connection.RemoteAddress, session, closing);
            if (admitted is null)
            {
                input.Complete();
                return null;
            }

            (connection, decided) = admitted.Value;
        }

        if (implicitTls is null) return new OpenedConnection(stream, input, connection, decided, Tls: null);
        input.Complete();
        var secured = await TlsUpgrade.SecureAsync(stream, implicitTls, timeout, connection.RemoteAddress, log, closing);
        return secured is null
            ? null
            : new OpenedConnection(secured.Stream, ConnectionPipe.Reader(secured.Stream), connection, decided, secured.Details);
    }

    private async Task<(ConnectionInfo, Admission)?> AdmitAsync(PipeReader input, IPAddress balancer, IActorRef session, CancellationToken closing)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(closing);
        deadline.CancelAfter(timeout);
        try
        {
            if (await ReadProxyHeaderAsync(input, balancer, deadline.Token) is not { } client) return null;
            var admitted = await listener.Ask<ListenerProtocol.Admitted>(new ListenerProtocol.Admit(client, session), deadline.Token);
            return (new ConnectionInfo(client, admitted.Trusted), admitted.Admission);
        }
        catch (Exception error) when (error is OperationCanceledException or AskTimeoutException)
        {
            // Nothing was said to this peer yet, so nothing is answered.
            return null;
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            if (!closing.IsCancellationRequested) log.Debug("Connection from {0} read failed: {1}", balancer, error.Message);
            return null;
        }
    }

    /// <summary>The client the header names (the balancer, when it names none); null, logged, when there is no valid header.</summary>
    private async Task<IPAddress?> ReadProxyHeaderAsync(PipeReader input, IPAddress balancer, CancellationToken deadline)
    {
        while (true)
        {
            var result = await input.ReadAsync(deadline);
            var buffer = result.Buffer;
            switch (Parse(buffer, out var headerLength, out var source))
            {
                case ProxyParseStatus.Done:
                    input.AdvanceTo(buffer.GetPosition(headerLength));
                    return source ?? balancer;
                case ProxyParseStatus.NeedMore when !result.IsCompleted:
                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                default:
                    log.Info("Closing connection from {0}: no valid PROXY protocol header", balancer);
                    input.AdvanceTo(buffer.End);
                    return null;
            }
        }
    }

    private static ProxyParseStatus Parse(ReadOnlySequence<byte> buffer, out int headerLength, out IPAddress? source)
    {
        var length = (int)Math.Min(buffer.Length, ProxyHeader.MaxVersion2Length);
        var head = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            buffer.Slice(0, length).CopyTo(head);
            return ProxyHeader.TryParse(head.AsSpan(0, length), out headerLength, out source);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }
}
