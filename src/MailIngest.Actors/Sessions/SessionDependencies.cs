using MailIngest.Actors.Authentication;
using MailIngest.Actors.Delivery;
using MailIngest.Actors.Filters;
using MailIngest.Actors.Telemetry;
using MailIngest.Actors.Transport;
using MailIngest.Smtp;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Sessions;

/// <summary>What every session actor on a node shares.</summary>
/// <param name="Smtp">Protocol limits and identity.</param>
/// <param name="Delivery">Stores completed messages.</param>
/// <param name="Counters">Node-wide counters.</param>
/// <param name="Status">Lines for HELP STATUS.</param>
/// <param name="SpoolDirectory">Where messages larger than <paramref name="SpoolMemoryThreshold"/> are spooled.</param>
/// <param name="SpoolMemoryThreshold">Octets kept in memory before spooling to a file.</param>
/// <param name="MaxSessionDuration">Longest a connection may stay open, whatever it sends.</param>
/// <param name="RateLimit">Transactions per client address over time; null: unlimited.</param>
/// <param name="Storage">Whether the store has room for more mail; null: always.</param>
/// <param name="Quota">Which mailboxes are full; null: none.</param>
/// <param name="Tls">The server certificate for STARTTLS and implicit TLS; null: no TLS.</param>
/// <param name="Filters">The milters every message passes before delivery; null: none configured.</param>
/// <param name="Authentication">SPF/DKIM/DMARC/ARC, told of each accepted sender; null: authentication off.</param>
public sealed record SessionDependencies(
    SmtpOptions Smtp,
    MessageDelivery Delivery,
    SmtpCounters Counters,
    ISmtpStatusSource Status,
    string SpoolDirectory,
    int SpoolMemoryThreshold,
    TimeSpan MaxSessionDuration,
    ISendingRateLimit? RateLimit,
    IStorageSpace? Storage,
    IMailboxQuota? Quota,
    TlsCertificateSource? Tls,
    FilterChain? Filters = null,
    MessageAuthenticator? Authentication = null);
