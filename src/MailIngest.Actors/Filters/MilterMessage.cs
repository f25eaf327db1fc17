using MailIngest.Smtp.Milter;
using Envelope = MailIngest.Smtp.Session.Envelope;

namespace MailIngest.Actors.Filters;

/// <summary>What every milter of the chain is shown of one message.</summary>
/// <param name="Envelope">The envelope as the client gave it.</param>
/// <param name="QueueId">The queue id ("i" macro), the one the 250 and the logs carry.</param>
/// <param name="HostName">This server's name ("j" macro).</param>
/// <param name="Headers">The header section's fields as received.</param>
/// <param name="OpenBody">The body (the content after the empty line), positioned at its start; the caller owns the stream.</param>
public sealed record MilterMessage(
    Envelope Envelope,
    string QueueId,
    string HostName,
    IReadOnlyList<HeaderField> Headers,
    Func<Stream> OpenBody);
