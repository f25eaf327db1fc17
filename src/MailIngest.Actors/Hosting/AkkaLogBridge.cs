using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;

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
        if (!_loggers.TryGetValue(log.LogClass, out var logger))
        {
            logger = _factory.CreateLogger(AkkaLogEntry.Category(log.LogClass));
            _loggers[log.LogClass] = logger;
        }

        AkkaLogEntry.Write(logger, log);
    }
}
