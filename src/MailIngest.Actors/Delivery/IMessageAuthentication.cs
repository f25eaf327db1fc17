using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Delivery;

/// <summary>
/// Verifies a message before it is stored (SPF, DKIM, DMARC, ARC: MailIngest:Authentication). Delivery owns this seam
/// so that it names no check; the checks live above it (Authentication/) and are left out when the mode is Off.
/// </summary>
public interface IMessageAuthentication
{
    /// <summary>The verdicts for the spooled message. Never fails for a DNS problem (that is a temperror verdict).</summary>
    Task<AuthenticatedMessage> AuthenticateAsync(Envelope envelope, MessageSpool spool, CancellationToken cancellation);
}
