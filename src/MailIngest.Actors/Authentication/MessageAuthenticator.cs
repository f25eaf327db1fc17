using System.Collections.Concurrent;
using System.Net;
using MailIngest.Actors.Delivery;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Telemetry;
using MailIngest.Smtp.Authentication;
using MailIngest.Smtp.Milter;
using MailIngest.Smtp.Replies;
using MailIngest.Smtp.Session;
using Microsoft.Extensions.Logging;
using MimeKit;
using MimeKit.Cryptography;

namespace MailIngest.Actors.Authentication;

/// <summary>
/// SPF, DKIM, DMARC and ARC for every message before it is stored (MailIngest:Authentication): the verdicts go into an
/// Authentication-Results field in front of the stored content and into every copy's record. With
/// <paramref name="enforce"/>, a message whose DMARC policy (after pct) says reject gets 550 5.7.1 and is not stored.
/// A received Authentication-Results field that names this server is removed (RFC 8601 §5): only we speak for us.
/// </summary>
public sealed partial class MessageAuthenticator(
    SpfEvaluator spf,
    DkimCheck dkim,
    DnsKeyLocator keys,
    DmarcEvaluator dmarc,
    string hostName,
    bool enforce,
    AuthenticationCounters counters,
    ILogger<MessageAuthenticator> logger) : IMessageAuthentication
{
    // SPF begun at MAIL FROM, taken by the transaction's end of data. A transaction that never gets there (RSET, a
    // dropped connection) leaves its entry behind, so the map is emptied when it grows past this, and an entry older
    // than a transaction may take (the data timeout is minutes) is not used: a later sender gets a fresh check.
    private const int MaxEarlyChecks = 10_000;
    private static readonly TimeSpan EarlyCheckLifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(IPAddress Client, string Sender, string Helo), (Task<SpfVerdict> Check, long Started)> _early = new();

    /// <summary>
    /// Starts SPF for a transaction whose MAIL was just accepted, so that its DNS lookups overlap RCPT and DATA
    /// instead of following the end of data.
    /// </summary>
    public void SenderAccepted(Envelope envelope)
    {
        if (_early.Count >= MaxEarlyChecks) _early.Clear();
        var key = (envelope.Connection.RemoteAddress, envelope.ReversePath, envelope.ClientName);
        // Not begun twice for the same client, sender and HELO (another connection of the same sender): the transaction
        // that ends second checks again, from the DNS cache.
        _early.GetOrAdd(key, early => (spf.CheckAsync(early.Client, early.Sender, early.Helo, CancellationToken.None), Environment.TickCount64));
    }

    /// <inheritdoc />
    public async Task<AuthenticatedMessage> AuthenticateAsync(Envelope envelope, MessageSpool spool, CancellationToken cancellation)
    {
        // SPF needs only the envelope: begun at MAIL FROM, or else now, while the signatures are checked.
        var key = (envelope.Connection.RemoteAddress, envelope.ReversePath, envelope.ClientName);
        var spfCheck = _early.TryRemove(key, out var early) && Environment.TickCount64 - early.Started < EarlyCheckLifetime.TotalMilliseconds
            ? early.Check.WaitAsync(cancellation)
            : spf.CheckAsync(key.RemoteAddress, key.ReversePath, key.ClientName, cancellation);
        var (headers, bodyStart) = await spool.ReadHeaderSectionAsync();
        var message = new SpooledMessage(spool, headers, bodyStart);
        var signatures = await dkim.VerifyAsync(message, cancellation);
        var arc = await ArcAsync(message, cancellation);
        var spfVerdict = await spfCheck;
        var dmarcVerdict = await DmarcAsync(headers, spfVerdict, signatures, cancellation);
        var verdict = new MessageAuthentication(spfVerdict, signatures, dmarcVerdict, arc);
        Count(verdict);

        SmtpReply? refusal = null;
        if (enforce && dmarcVerdict is { Result: AuthResult.Fail, AppliedPolicy: "reject" })
        {
            refusal = new SmtpReply(550, "5.7.1", [$"Message rejected: DMARC policy of {dmarcVerdict.Domain} is reject and the message failed it ({Failure(verdict)})"]);
            MailIngestMeter.AuthenticationRejected.Add(1);
        }

        return new AuthenticatedMessage(
            AuthenticationV1.Of(verdict),
            AuthenticationResultsHeader.Build(hostName, verdict, envelope.ReversePath.Length == 0),
            refusal,
            refusal is null ? await WithoutForgedResultsAsync(spool, headers, bodyStart) : null);
    }

    private async Task<AuthResult> ArcAsync(SpooledMessage message, CancellationToken cancellation)
    {
        if (!message.Headers.Fields.Any(field => field.Name.Equals("ARC-Seal", StringComparison.OrdinalIgnoreCase))) return AuthResult.None;
        try
        {
            return (await new ArcVerifier(keys).VerifyAsync(await message.MimeAsync(cancellation), cancellation)).Chain switch
            {
                ArcSignatureValidationResult.Pass => AuthResult.Pass,
                ArcSignatureValidationResult.Fail => AuthResult.Fail,
                _ => AuthResult.None,
            };
        }
        catch (DnsKeyLocator.KeyUnavailableException unavailable) when (unavailable.Key.Result == AuthResult.TempError)
        {
            return AuthResult.TempError;
        }
        catch (Exception error) when (error is DnsKeyLocator.KeyUnavailableException or FormatException)
        {
            // RFC 8617 §5.2: a chain that cannot be validated is a failed chain.
            return AuthResult.Fail;
        }
    }

    private Task<DmarcVerdict> DmarcAsync(HeaderSection headers, SpfVerdict spfVerdict, IReadOnlyList<DkimVerdict> signatures, CancellationToken cancellation)
    {
        // RFC 7489 §6.6.1: the RFC5322.From domain, which must be exactly one.
        var domains = headers.Fields
            .Where(field => field.Name.Equals("From", StringComparison.OrdinalIgnoreCase))
            .SelectMany(field => InternetAddressList.TryParse(field.Value, out var list) ? list.Mailboxes : [])
            .Select(mailbox => mailbox.Domain.ToLowerInvariant())
            .Distinct()
            .ToArray();
        if (domains.Length == 0) return Task.FromResult(new DmarcVerdict(AuthResult.None, "", null, null, "no From address"));
        if (domains.Length > 1) return Task.FromResult(new DmarcVerdict(AuthResult.PermError, domains[0], null, null, "several From domains"));
        return dmarc.EvaluateAsync(domains[0], spfVerdict.Result, spfVerdict.Domain,
            signatures.Select(s => (s.Result, s.Domain)).ToArray(), Random.Shared.Next(100), cancellation);
    }

    /// <summary>The content without received Authentication-Results fields that claim our authserv-id; null when it had none.</summary>
    private async Task<MessageSpool?> WithoutForgedResultsAsync(MessageSpool spool, HeaderSection headers, int bodyStart)
    {
        var removed = headers.RemoveAll(field =>
            field.Name.Equals(AuthenticationResultsHeader.Name, StringComparison.OrdinalIgnoreCase)
            && AuthenticationResultsHeader.Claims(field.Value, hostName));
        if (removed == 0) return null;
        LogForged(removed);
        return await spool.RewriteAsync(headers, bodyStart);
    }

    private static string Failure(MessageAuthentication verdict) =>
        $"spf={AuthenticationResultsHeader.Word(verdict.Spf.Result)}, dkim={(verdict.Dkim.Count == 0 ? "none" : string.Join(",", verdict.Dkim.Select(d => AuthenticationResultsHeader.Word(d.Result))))}";

    private void Count(MessageAuthentication verdict)
    {
        counters.Count("spf", verdict.Spf.Result);
        if (verdict.Dkim.Count == 0) counters.Count("dkim", AuthResult.None);
        foreach (var signature in verdict.Dkim) counters.Count("dkim", signature.Result);
        counters.Count("dmarc", verdict.Dmarc.Result);
        counters.Count("arc", verdict.Arc);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} received Authentication-Results field(s) claiming to be ours (RFC 8601 §5)")]
    private partial void LogForged(int count);
}
