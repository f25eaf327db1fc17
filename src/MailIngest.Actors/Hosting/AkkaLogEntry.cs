using Akka.Event;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace MailIngest.Actors.Hosting;

/// <summary>How an Akka log event becomes one Microsoft.Extensions.Logging entry, for both of Akka's loggers.</summary>
internal static class AkkaLogEntry
{
    /// <summary>The category of events logged by <paramref name="type"/>.</summary>
    public static string Category(Type type) =>
        // Akka logs from plain strings (remoting, the cluster) under a placeholder class: call those "Akka".
        type == typeof(DummyClassForStringSources) ? "Akka" : type.FullName ?? type.Name;

    /// <summary>Writes <paramref name="log"/> to <paramref name="logger"/> if its level is enabled there.</summary>
    public static void Write(ILogger logger, LogEvent log)
    {
        var level = log.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!logger.IsEnabled(level)) return;
        // {Source} keeps the actor path or component Akka names (e.g. the session actor with its client).
        logger.Log(level, log.Cause, "{Message} ({Source})", log.Message?.ToString(), log.LogSource);
    }
}
