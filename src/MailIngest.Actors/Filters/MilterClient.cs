using System.Collections.Concurrent;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Milter;
using Microsoft.Extensions.Logging;

namespace MailIngest.Actors.Filters;

/// <summary>
/// One configured milter: starts its <see cref="MilterConversation"/>s and keeps the connections they leave. When the
/// milter allows it (<see cref="MilterTranscript.OpenForNextSession"/>), SMFIC_QUIT_NC ends a session and the connection
/// waits in a pool for the next transaction, whose session starts at CONNECT under the same negotiation; any other
/// end is QUIT and a close.
/// </summary>
public sealed partial class MilterClient(MilterOptions options, ILogger<MilterClient> logger)
{
    // Enough for the concurrent transactions of a busy node; a connection beyond it is closed after its message.
    private const int MaxIdleConnections = 64;
    private readonly ConcurrentStack<(MilterChannel Channel, MilterReply Negotiated)> _idle = new();
    private int _idleCount;

    /// <summary>The milter's configuration.</summary>
    public MilterOptions Options { get; } = options;

    /// <summary>A session with this milter for one transaction; <paramref name="queueId"/> is its "i" macro.</summary>
    public MilterConversation Start(string queueId, string hostName) => new(this, queueId, hostName);

    /// <summary>
    /// A pooled connection, whose negotiation still holds for the new session on it, or a new connection and its
    /// negotiation. A pooled connection the milter closed while it was idle is dropped here, so an idle timeout on the
    /// milter's side costs no message.
    /// </summary>
    internal async Task<(MilterChannel Channel, MilterReply Negotiated)> OpenAsync(CancellationToken cancel)
    {
        while (_idle.TryPop(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            if (idle.Channel.IsQuiet) return idle;
            await idle.Channel.DisposeAsync();
        }

        var channel = await MilterChannel.ConnectAsync(Options.Address, Options.ConnectTimeout, cancel);
        MailIngestMeter.MilterConnections.Add(1, new KeyValuePair<string, object?>("milter", Options.Name));
        try
        {
            channel.Send(MilterPacket.Negotiate(MilterActions.Supported, MilterProtocol.Offered));
            return (channel, await channel.ReceiveAsync(Options.CommandTimeout, cancel));
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Ends the milter session with SMFIC_QUIT_NC and keeps the connection for the next transaction. The QUIT_NC goes
    /// out with that transaction's first packets: one write (and one wake-up of the milter) less per message.
    /// </summary>
    internal async Task ReleaseAsync(MilterChannel channel, MilterReply negotiated, CancellationToken cancel)
    {
        if (Interlocked.Increment(ref _idleCount) > MaxIdleConnections)
        {
            Interlocked.Decrement(ref _idleCount);
            await QuitAsync(channel, Options.CommandTimeout, cancel);
            await channel.DisposeAsync();
            return;
        }

        channel.Send(MilterPacket.Bare('K'));
        _idle.Push((channel, negotiated));
    }

    // The milter has decided; one that already closed its end (some do after the final reply) changes nothing.
    internal static async Task QuitAsync(MilterChannel channel, TimeSpan timeout, CancellationToken cancel)
    {
        channel.Send(MilterPacket.Bare('Q'));
        try
        {
            await channel.FlushAsync(timeout, cancel);
        }
        catch (MilterFailure)
        {
        }
    }

    internal void LogFailed(string queueId, string reason, FilterAction action) => LogFailed(Options.Name, queueId, reason, action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Milter {Milter} failed for {QueueId}: {Reason}; the message gets its default action ({Action})")]
    private partial void LogFailed(string milter, string queueId, string reason, FilterAction action);
}
