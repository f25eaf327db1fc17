using Akka.Hosting;
using MailIngest.Actors.Hosting;
using MailIngest.Actors.Status;
using MailIngest.Host.Configuration;

namespace MailIngest.Host.Node;

/// <summary>Registers the node: storage, actor system, SMTP listener.</summary>
public static class NodeServices
{
    /// <summary>Idle mailboxes leave memory after this; they recover from snapshot + journal when asked again.</summary>
    private static readonly TimeSpan PassivateMailboxesAfter = TimeSpan.FromMinutes(2);

    /// <summary>Adds everything the node runs.</summary>
    public static IServiceCollection AddMailIngestNode(this IServiceCollection services, NodeSettings settings)
    {
        Directory.CreateDirectory(Path.GetFullPath(settings.Options.Storage.DataDirectory));
        services.AddSingleton(settings);
        services.AddSingleton<NodeState>();
        services.AddSingleton<SmtpCounters>();
        services.AddSingleton<DeliveryCounters>();
        services.AddSingleton<ShardCounts>();
        var membership = new MembershipLog();
        services.AddSingleton(membership);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<NodeStatusSource>();
        // Through a factory, so that the container disposes the backend (its connection pool) at shutdown.
        services.AddSingleton(_ => settings.Storage);
        services.AddSingleton(_ => settings.Storage.Content);
        services.Configure<HostOptions>(host =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(settings.Options.Smtp.DrainDelaySeconds + settings.Options.Smtp.DrainGraceSeconds + 15));
        services.AddAkka(ClusterSpec.SystemName, (builder, provider) => builder
            // Akka's log goes through Microsoft.Extensions.Logging: one stream, one format (JSON with
            // Logging:Console:FormatterName=json), filtered by the same Logging:LogLevel settings. That includes what
            // Akka logs while its loggers start and after they stop (its "stdout logger").
            .AddHocon(UseStdoutBridge(provider), HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.AddLoggerFactory();
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogBridge>();
            })
            .AddMailIngestSerialization()
            .AddMailIngestPersistence(settings.Storage)
            .AddMailIngestCluster(settings.Cluster)
            .AddMailboxSharding(PassivateMailboxesAfter)
            .AddWebhooks(settings.Webhooks, "MailIngest/" + NodeSettings.Version)
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
