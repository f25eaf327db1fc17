using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Transport;

/// <summary>
/// Owns the bound SMTP listener: accepts connections and starts one session actor per socket (made by the
/// <see cref="SessionPropsFactory"/> it is given). Connections over the node's or the client address's limit get
/// 421 4.7.0 instead of the greeting. On drain it stops accepting, asks every session to finish, and closes what is
/// left after the grace period.
/// </summary>
public sealed class ListenerActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly TcpListener _listener;
    private readonly SessionPropsFactory _sessions;
    private readonly TrustedNetworks _trusted;
    private readonly ConnectionLimits _limits;
    private readonly bool _proxyProtocol;
    private readonly Dictionary<IActorRef, IPAddress> _served = [];
    private readonly Dictionary<IPAddress, int> _servedPerClient = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _drainWaiters = [];
    private bool _draining;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for a listener that is already bound and started.</summary>
    /// <remarks>
    /// Behind a load balancer that sends the PROXY protocol (<paramref name="proxyProtocol"/>) the client is the one
    /// its header names, for the limits, trust, logs and <c>Received:</c>; a connection without a valid header is closed.
    /// </remarks>
    public static Props Props(TcpListener listener, SessionPropsFactory sessions, TrustedNetworks trusted, ConnectionLimits limits,
        bool proxyProtocol) =>
        Akka.Actor.Props.Create(() => new ListenerActor(listener, sessions, trusted, limits, proxyProtocol));

    /// <summary>Use <see cref="Props"/>; public because Akka creates actors by reflection.</summary>
    public ListenerActor(TcpListener listener, SessionPropsFactory sessions, TrustedNetworks trusted, ConnectionLimits limits,
        bool proxyProtocol)
    {
        _proxyProtocol = proxyProtocol;
        _listener = listener;
        _sessions = sessions;
        _trusted = trusted;
        _limits = limits;

        Receive<ListenerProtocol.Accepted>(OnAccepted);
        Receive<ListenerProtocol.Drain>(OnDrain);
        Receive<ListenerProtocol.Admit>(admit =>
        {
            var connection = new ConnectionInfo(admit.Client, _trusted.Contains(admit.Client));
            var admission = Admit(connection);
            Measure(admission);
            if (admission == Admission.Accept) Count(admit.Session, connection.RemoteAddress);
            Sender.Tell(new ListenerProtocol.Admitted(admission, connection.IsTrusted));
        });
        Receive<ListenerProtocol.AwaitDrained>(_ =>
        {
            _drainWaiters.Add(Sender);
            ReportIfDrained();
        });
        Receive<Terminated>(terminated =>
        {
            if (_served.Remove(terminated.ActorRef, out var client) && --_servedPerClient[client] == 0) _servedPerClient.Remove(client);
            ReportIfDrained();
        });
        Receive<ListenerProtocol.GraceOver>(_ =>
        {
            foreach (var session in Context.GetChildren()) session.Tell(SessionProtocol.ForceClose.Instance);
        });
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        var self = Self;
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    self.Tell(new ListenerProtocol.Accepted(await _listener.AcceptSocketAsync(_stop.Token)));
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException error)
                {
                    // One failed accept (peer reset before accept completed) must not stop the listener. A lasting
                    // one (out of file descriptors) must not spin either: pause before the next try.
                    _log.Warning("Accept failed: {0}", error.Message);
                    await Task.Delay(AcceptRetryDelay);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        });
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private void OnAccepted(ListenerProtocol.Accepted accepted)
    {
        var socket = accepted.Socket;
        socket.NoDelay = true;
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var connection = new ConnectionInfo(remote.Address, _trusted.Contains(remote.Address));
        // Behind a PROXY-protocol balancer the socket's peer is the balancer: the session's opener asks once it read the header.
        Admission? admission = _proxyProtocol && !_draining ? null : Admit(connection);
        var session = Context.ActorOf(_sessions(new NetworkStream(socket, ownsSocket: true), connection, admission));
        Context.Watch(session);
        if (admission is not { } decided) return;
        Measure(decided);
        if (decided == Admission.Accept) Count(session, connection.RemoteAddress);
    }

    private static void Measure(Admission admission) =>
        MailIngestMeter.Connections.Add(1, new KeyValuePair<string, object?>("admission", admission switch
        {
            Admission.Accept => "accept",
            Admission.Draining => "draining",
            Admission.NodeFull => "node_full",
            _ => "client_full",
        }));

    private void Count(IActorRef session, IPAddress client)
    {
        _served[session] = client;
        _servedPerClient[client] = _servedPerClient.GetValueOrDefault(client) + 1;
    }

    private Admission Admit(ConnectionInfo connection)
    {
        if (_draining) return Admission.Draining;
        if (_served.Count >= _limits.PerNode)
        {
            _log.Warning("Refusing {0}: the node serves its maximum of {1} connections", connection.RemoteAddress, _limits.PerNode);
            return Admission.NodeFull;
        }

        if (!connection.IsTrusted && _servedPerClient.GetValueOrDefault(connection.RemoteAddress) >= _limits.PerClient)
        {
            _log.Info("Refusing {0}: it holds its maximum of {1} connections", connection.RemoteAddress, _limits.PerClient);
            return Admission.ClientFull;
        }

        return Admission.Accept;
    }

    private void OnDrain(ListenerProtocol.Drain drain)
    {
        if (_draining) return;
        _draining = true;
        _stop.Cancel();
        // Connections the kernel already completed would be reset by closing the socket: take them and answer
        // 421 4.3.2 instead (the session starts as Draining).
        while (_listener.Pending()) OnAccepted(new ListenerProtocol.Accepted(_listener.AcceptSocket()));
        // Closing the listening socket makes new connections fail at once instead of queueing in the backlog.
        _listener.Stop();
        _log.Info("Draining {0} SMTP session(s), grace {1}", Context.GetChildren().Count(), drain.Grace);
        foreach (var session in Context.GetChildren()) session.Tell(SessionProtocol.Drain.Instance);
        Timers.StartSingleTimer("force-close", ListenerProtocol.GraceOver.Instance, drain.Grace);
        ReportIfDrained();
    }

    private void ReportIfDrained()
    {
        if (!_draining || Context.GetChildren().Any()) return;
        foreach (var waiter in _drainWaiters) waiter.Tell(ListenerProtocol.Drained.Instance);
        _drainWaiters.Clear();
    }
}
