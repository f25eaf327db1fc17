using System.Collections.Concurrent;
using Akka.Event;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Hosting;

/// <summary>
/// Akka's "stdout logger" (akka.stdout-logger-class): what Akka logs before <see cref="AkkaLogBridge"/> has started
/// and after it has stopped (e.g. "Remoting shut down" at the very end) goes through Microsoft.Extensions.Logging
/// too, instead of Akka's own "[INFO][date]..." line on standard output, which broke a JSON log stream.
/// </summary>
public sealed class AkkaStdoutBridge : MinimalLogger
{
    private static ILoggerFactory? _factory;
    private readonly ConcurrentDictionary<Type, ILogger> _loggers = new();

    /// <summary>
    /// The host's logger factory. Static because Akka creates this logger by its class name, with no way to hand it
    /// anything, and before the actor system (with its setups) exists; a process runs one host.
    /// </summary>
    public static void Use(ILoggerFactory factory) => _factory = factory;

    /// <summary>The HOCON line that makes Akka use this logger.</summary>
    public static string Hocon => $"akka.stdout-logger-class = \"{typeof(AkkaStdoutBridge).FullName}, {typeof(AkkaStdoutBridge).Assembly.GetName().Name}\"";

    /// <inheritdoc />
    protected override void Log(object message)
    {
        if (message is not LogEvent log) return;
        var factory = _factory;
        if (factory is null)
        {
            // No host set a factory: do what Akka's own stdout logger does.
            Console.WriteLine(log.ToString());
            return;
        }

        AkkaLogEntry.Write(_loggers.GetOrAdd(log.LogClass, type => factory.CreateLogger(AkkaLogEntry.Category(type))), log);
    }
}
