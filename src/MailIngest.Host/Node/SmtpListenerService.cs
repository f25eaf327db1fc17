using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using MailIngest.Actors.Authentication;
using MailIngest.Actors.Content;
using MailIngest.Actors.Delivery;
using MailIngest.Actors.Filters;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Sessions;
using MailIngest.Actors.Storage;
using MailIngest.Actors.Telemetry;
using MailIngest.Actors.Transport;
using MailIngest.Host.Configuration;
using MailIngest.Smtp.Authentication;

namespace MailIngest.Host.Node;

/// <summary>
/// Starts the SMTP listener once the actor system and the storage are ready (<see cref="StorageStartService"/>), and
/// drains it on shutdown before Akka leaves the cluster (hosted services stop in reverse order of registration). The drain
/// runs in <see cref="StoppingAsync"/>, before any service stops, so the admin endpoint still answers /readyz
/// with 503 while sessions finish. /readyz fails first and the listener keeps accepting for
/// <c>Smtp:DrainDelaySeconds</c>: a balancer that health-checks /readyz must see the node down before its
/// connections are refused, or the clients it still sends there get a refusal.
/// </summary>
public sealed class SmtpListenerService(
    NodeOptions node,
    NodeState state,
    ActorSystem system,
    IRequiredActor<MailboxRegion> mailboxRegion,
    IContentStore contentStore,
    SmtpCounters counters,
    DeliveryCounters deliveryCounters,
    MembershipLog membership,
    NodeStatusSource status,
    DataVolumeSpace space,
    DatabaseSpace databaseSpace,
    QuotaBoard quota,
    AuthenticationCounters authenticationCounters,
    ILoggerFactory loggers) : IHostedLifecycleService
{
    private readonly ILogger _log = loggers.CreateLogger<SmtpListenerService>();
    private readonly List<IActorRef> _listeners = [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var region = await mailboxRegion.GetAsync(cancellationToken);
        var smtp = node.Settings.Smtp;
        var authentication = Authentication();
        var delivery = new MessageDelivery(contentStore, region, node.Smtp,
            TimeSpan.FromSeconds(smtp.DeliveryTimeoutSeconds), databaseSpace, deliveryCounters, membership, TimeProvider.System,
            loggers.CreateLogger<MessageDelivery>(), authentication);
        var tls = node.Smtp.TlsAvailable
            ? TlsCertificateSource.Load(smtp.Tls.CertificatePath, smtp.Tls.KeyPath, TimeProvider.System, loggers.CreateLogger<TlsCertificateSource>())
            : null;
        const int spoolMemoryThreshold = 256 * 1024;
        var filters = node.Milters.Count == 0
            ? null
            : new FilterChain(node.Milters.Select(milter => new MilterClient(milter, loggers.CreateLogger<MilterClient>())).ToArray(),
                node.Smtp.HostName, TimeProvider.System, loggers.CreateLogger<FilterChain>());
        var deps = new SessionDependencies(node.Smtp, delivery, counters, status, node.SpoolDirectory,
            spoolMemoryThreshold, TimeSpan.FromSeconds(smtp.MaxSessionSeconds),
            new ClientRateLimiter(smtp.MaxMessagesPerMinutePerClient, node.Trusted, TimeProvider.System), space, quota, tls, filters,
            authentication);
        foreach (var milter in node.Milters)
            _log.LogInformation("Milter {Name} at {Address}: every message passes it before its 250; default action {DefaultAction}",
                milter.Name, milter.Address, milter.DefaultAction);

        state.SmtpEndpoint = Listen(smtp.Port, deps, implicitTls: false, "smtp-listener");
        _log.LogInformation("SMTP listening on {Endpoint} as {HostName}; STARTTLS {Tls}", state.SmtpEndpoint, node.Smtp.HostName,
            tls is null ? "off (no certificate)" : $"offered with {tls.Subject}{(smtp.Tls.Required ? ", required" : "")}");
        if (tls is not null && smtp.Tls.ImplicitPort is { } implicitPort)
        {
            state.SmtpsEndpoint = Listen(implicitPort, deps, implicitTls: true, "smtps-listener");
            _log.LogInformation("SMTP with implicit TLS listening on {Endpoint}", state.SmtpsEndpoint);
        }

        if (node.AcceptsAnyDomain)
            _log.LogWarning("MailIngest:Smtp:AcceptedDomains is empty: RCPT TO accepts ANY domain (development setting)");
    }

    /// <summary>The checks MailIngest:Authentication asks for, on the resolver MailIngest:Dns names; null when Off.</summary>
    private MessageAuthenticator? Authentication()
    {
        var (settings, dnsSettings) = (node.Settings.Authentication, node.Settings.Dns);
        if (settings.Mode == AuthenticationMode.Off)
        {
            _log.LogInformation("Authentication off: no SPF, DKIM, DMARC or ARC verdicts are recorded");
            return null;
        }

        var servers = dnsSettings.Servers.Select(IPEndPoint.Parse).ToArray();
        var dns = new DnsResolver(servers, TimeSpan.FromMilliseconds(dnsSettings.TimeoutMilliseconds), TimeProvider.System,
            loggers.CreateLogger<DnsResolver>());
        var keys = new DnsKeyLocator(dns);
        var suffixes = settings.PublicSuffixListPath.Length == 0 ? PublicSuffixList.Default : PublicSuffixList.Load(settings.PublicSuffixListPath);
        _log.LogInformation("Authentication {Mode}: SPF, DKIM, DMARC and ARC on every message; DNS {Servers}", settings.Mode,
            servers.Length == 0 ? "from /etc/resolv.conf" : string.Join(", ", servers.Select(server => server.ToString())));
        return new MessageAuthenticator(new SpfEvaluator(dns), new DkimCheck(keys, TimeProvider.System), keys,
            new DmarcEvaluator(dns, suffixes), node.Smtp.HostName, settings.Mode == AuthenticationMode.Enforce,
            authenticationCounters, loggers.CreateLogger<MessageAuthenticator>());
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.StartDraining();
        if (_listeners.Count == 0) return;
        var delay = TimeSpan.FromSeconds(node.Settings.Smtp.DrainDelaySeconds);
        _log.LogInformation("Not ready (/readyz 503); the SMTP listener closes in {Delay}", delay);
        // Cancelled only when the host's shutdown timeout (which includes the delay) runs out: then drain at once.
        await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var grace = TimeSpan.FromSeconds(node.Settings.Smtp.DrainGraceSeconds);
        foreach (var listener in _listeners) listener.Tell(new ListenerProtocol.Drain(grace));
        try
        {
            // A little beyond the grace period: sessions closed by force still need to stop.
            await Task.WhenAll(_listeners.Select(listener =>
                listener.Ask<ListenerProtocol.Drained>(ListenerProtocol.AwaitDrained.Instance, grace + TimeSpan.FromSeconds(5), cancellationToken)));
            _log.LogInformation("SMTP sessions drained");
        }
        catch (Exception error) when (error is TaskCanceledException or AskTimeoutException or OperationCanceledException)
        {
            _log.LogWarning("SMTP drain did not finish in time: {Reason}", error.Message);
        }
    }

    /// <summary>Binds a listener whose sessions all share <paramref name="deps"/>.</summary>
    /// <param name="implicitTls">Every session negotiates TLS before the greeting (the smtps port).</param>
    private IPEndPoint Listen(int port, SessionDependencies deps, bool implicitTls, string name)
    {
        var smtp = node.Settings.Smtp;
        var listener = new TcpListener(IPAddress.Parse(smtp.BindAddress), port);
        listener.Start(backlog: 1024);
        SessionPropsFactory sessions = (stream, connection, admission) => SessionActor.Props(stream, connection, deps, admission, implicitTls);
        _listeners.Add(system.ActorOf(ListenerActor.Props(listener, sessions, node.Trusted,
            new ConnectionLimits(smtp.MaxConnections, smtp.MaxConnectionsPerClient), smtp.ProxyProtocol), name));
        return (IPEndPoint)listener.LocalEndpoint;
    }
}
