using Akka.Actor;
using Akka.Hosting;
using MailIngest.Actors.Erasure;
using MailIngest.Actors.Feed;
using MailIngest.Actors.Hosting;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Storage;
using MailIngest.Actors.Telemetry;
using MailIngest.Host.Configuration;

namespace MailIngest.Host.Node;

/// <summary>Registers the node: storage, actor system, SMTP listener.</summary>
public static class NodeServices
{
    /// <summary>Idle mailboxes leave memory after this; they recover from snapshot + journal when asked again.</summary>
    private static readonly TimeSpan PassivateMailboxesAfter = TimeSpan.FromMinutes(2);

    /// <summary>Adds everything the node runs.</summary>
    public static IServiceCollection AddMailIngestNode(this IServiceCollection services, NodeOptions node)
    {
        Directory.CreateDirectory(Path.GetFullPath(node.Settings.Storage.DataDirectory));
        services.AddSingleton(node);
        services.AddSingleton<NodeState>();
        services.AddSingleton<SmtpCounters>();
        services.AddSingleton<AuthenticationCounters>();
        services.AddSingleton<DeliveryCounters>();
        services.AddSingleton<ShardCounts>();
        var membership = new MembershipLog();
        services.AddSingleton(membership);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseSpace>();
        services.AddSingleton(provider => new DataVolumeSpace(Path.GetFullPath(node.Settings.Storage.DataDirectory),
            node.Settings.Storage.MinFreeBytes, provider.GetRequiredService<DatabaseSpace>(), TimeProvider.System,
            provider.GetRequiredService<ILogger<DataVolumeSpace>>()));
        services.AddSingleton<NodeStatusSource>();
        services.AddSingleton(node.Quota);
        var retention = new RetentionCounters();
        services.AddSingleton(retention);
        var quotaBoard = new QuotaBoard();
        services.AddSingleton(quotaBoard);
        services.AddSingleton(provider => new ErasureRequests(new MailFeed(provider.GetRequiredService<ActorSystem>()), TimeProvider.System));
        // Through a factory, so that the container disposes the backend (its connection pool) at shutdown.
        services.AddSingleton(_ => node.Storage);
        services.AddSingleton(_ => node.Storage.Content);
        services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(node.Settings.Smtp.DrainDelaySeconds + node.Settings.Smtp.DrainGraceSeconds + 15));
        services.AddAkka(MembershipOptions.SystemName, (builder, provider) => builder
            // Akka's log goes through Microsoft.Extensions.Logging: one stream, one format (JSON with
            // Logging:Console:FormatterName=json), filtered by the same Logging:LogLevel node. That includes what
            // Akka logs while its loggers start and after they stop (its "stdout logger").
            .AddHocon(UseStdoutBridge(provider), HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.AddLoggerFactory();
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogBridge>();
            })
            .AddMailIngestSerialization()
            .AddMailIngestPersistence(node.Storage)
            .AddMailIngestCluster(node.Cluster)
            .AddMailboxSharding(PassivateMailboxesAfter)
            .AddWebhooks(node.Webhooks, "MailIngest/" + NodeOptions.Version)
            .AddRetention(node.Retention, retention)
            .AddQuotaBoard(quotaBoard)
            .WithActors((system, _) => system.ActorOf(MembershipWatchActor.Props(membership, TimeProvider.System), "membership-watch"))
            .AddDashboardSampler()
            // SIGTERM must reach the host first: its hosted services stop in reverse order, so SMTP drains before
            // Akka.Hosting runs CoordinatedShutdown. Akka's own CLR exit hook would hand shards off and leave the
            // cluster at once, while sessions still wait for their mailboxes (seen: dead letters, 10 s hang).
            .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend));
        // After AddAkka: hosted services start in order, so tables and journal are ready before SMTP listens, and
        // SMTP stops (drains) before the actor system leaves the cluster.
        services.AddHostedService<StorageStartService>();
        services.AddHostedService<SmtpListenerService>();
        services.AddHostedService<MailboxWarmUpService>();
        services.AddHostedService<NodeMetricsService>();
        return services;
    }

    private static string UseStdoutBridge(IServiceProvider provider)
    {
        AkkaStdoutBridge.Use(provider.GetRequiredService<ILoggerFactory>());
        return AkkaStdoutBridge.Hocon;
    }
}
