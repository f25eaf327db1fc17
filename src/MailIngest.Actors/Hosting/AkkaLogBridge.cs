using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace MailIngest.Actors.Hosting;

/// <summary>
/// Akka's logger: each Akka log event becomes one Microsoft.Extensions.Logging entry whose category is the class that
/// logged (e.g. Akka.Cluster.ClusterCoreDaemon) and whose message is the plain text, so Akka's lines have the host's
/// format (simple or JSON) instead of Akka's own "[INFO][date][thread][source]" prefix.
/// </summary>
public sealed class AkkaLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<Type, ILogger> _loggers = [];

    /// <summary>Created by Akka's event stream; the factory comes from the setup Akka.Hosting registers.</summary>
    public AkkaLogBridge()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        _factory = setup.HasValue ? setup.Value.LoggerFactory : throw new InvalidOperationException("No LoggerFactorySetup: call AddLoggerFactory first");
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Log);
    }

    private void Log(LogEvent log)
    {
        var level = log.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        var logger = Logger(log.LogClass);
        if (!logger.IsEnabled(level)) return;
        // {Source} keeps the actor path or component Akka names (e.g. the session actor with its client).
        logger.Log(level, log.Cause, "{Message} ({Source})", log.Message?.ToString(), log.LogSource);
    }

    private ILogger Logger(Type type)
    {
        if (!_loggers.TryGetValue(type, out var logger))
        {
            // Akka logs from plain strings (remoting, the cluster) under a placeholder class: call those "Akka".
            logger = _factory.CreateLogger(type == typeof(DummyClassForStringSources) ? "Akka" : type.FullName ?? type.Name);
            _loggers[type] = logger;
        }

        return logger;
    }
}
