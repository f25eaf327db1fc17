using System.Net;
using MailIngest.Actors.Filters;
using MailIngest.Actors.Hosting;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Retention;
using MailIngest.Actors.Storage;
using MailIngest.Actors.Storage.PostgreSql;
using MailIngest.Actors.Storage.Sqlite;
using MailIngest.Actors.Transport;
using MailIngest.Actors.Webhooks;
using MailIngest.Smtp;
using MailIngest.Smtp.Milter;

namespace MailIngest.Host.Configuration;

/// <summary>The validated settings turned into what each part of the node takes.</summary>
public sealed record NodeOptions(
    MailIngestSettings Settings,
    SmtpOptions Smtp,
    StorageBackend Storage,
    MembershipOptions Cluster,
    TrustedNetworks Trusted,
    string SpoolDirectory,
    IReadOnlyList<WebhookOptions> Webhooks,
    RetentionPolicy Retention,
    MailboxQuota Quota,
    IReadOnlyList<MilterOptions> Milters)
{
    /// <summary>Software version shown in the greeting and /status.</summary>
    public static readonly string Version =
        typeof(NodeOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static readonly string[] LoopbackNetworks = ["127.0.0.0/8", "::1/128"];

    /// <summary>True when RCPT TO accepts any domain.</summary>
    public bool AcceptsAnyDomain => Smtp.AcceptedDomains.Count == 0;

    /// <summary>Builds the options from validated settings.</summary>
    public static NodeOptions From(MailIngestSettings settings)
    {
        var dataDirectory = Path.GetFullPath(settings.Storage.DataDirectory);
        var smtp = settings.Smtp;
        var hostName = string.IsNullOrWhiteSpace(smtp.HostName) ? Dns.GetHostName() : smtp.HostName;
        // The one place a backend is chosen.
        StorageBackend storage = settings.Storage.Provider switch
        {
            StorageProvider.PostgreSql => new PostgreSqlStorage(settings.Storage.ConnectionString),
            _ => SqliteStorage.InDirectory(dataDirectory, settings.Storage.ConnectionString),
        };
        return new NodeOptions(
            settings,
            new SmtpOptions
            {
                HostName = hostName,
                SoftwareVersion = Version,
                MaxMessageBytes = smtp.MaxMessageBytes,
                MaxRecipients = smtp.MaxRecipients,
                MaxErrors = smtp.MaxErrors,
                MaxCommandsWithoutMail = smtp.MaxCommandsWithoutMail,
                TlsAvailable = !string.IsNullOrWhiteSpace(smtp.Tls.CertificatePath),
                TlsRequired = smtp.Tls.Required,
                // The milters are asked at RCPT, as Postfix's smtpd_milters are.
                CheckRecipients = settings.Milters.Length > 0,
                // SPF starts at MAIL FROM, as soon as its inputs are known.
                AnnounceSenders = settings.Authentication.Mode != AuthenticationMode.Off,
                // "*" anywhere in the list means any domain, which the core spells as an empty list.
                AcceptedDomains = smtp.AcceptedDomains.Contains("*") ? [] : smtp.AcceptedDomains,
                CommandTimeout = TimeSpan.FromSeconds(smtp.CommandTimeoutSeconds),
                DataBlockTimeout = TimeSpan.FromSeconds(smtp.DataTimeoutSeconds),
            },
            storage,
            MembershipOptionsFrom(settings.Cluster),
            new TrustedNetworks((smtp.TrustedNetworks.Length == 0 ? LoopbackNetworks : smtp.TrustedNetworks)
                .Select(network => IPNetwork.Parse(network)).ToArray()),
            Path.Combine(dataDirectory, "spool"),
            settings.Webhooks.Select(WebhookOptionsFrom).ToArray(),
            new RetentionPolicy(settings.Retention.MaxAge,
                settings.Retention.Domains.ToDictionary(domain => domain.Domain.Trim(), domain => domain.MaxAge, StringComparer.OrdinalIgnoreCase)),
            new MailboxQuota(settings.Quota.MaxMessagesPerMailbox, settings.Quota.MaxBytesPerMailbox),
            settings.Milters.Select(milter => new MilterOptions(
                MilterName(milter),
                MilterAddress.Parse(milter.Address)!,
                milter.DefaultAction,
                TimeSpan.FromMilliseconds(milter.ConnectTimeoutMilliseconds),
                TimeSpan.FromMilliseconds(milter.CommandTimeoutMilliseconds),
                TimeSpan.FromMilliseconds(milter.ContentTimeoutMilliseconds))).ToArray());
    }

    /// <summary>A milter's name: its Name, or its address when that is empty.</summary>
    public static string MilterName(MilterSettings milter) =>
        string.IsNullOrWhiteSpace(milter.Name) ? milter.Address : milter.Name.Trim();

    /// <summary>A webhook's name: its Name, or its URL when that is empty.</summary>
    public static string WebhookName(WebhookSettings webhook) =>
        string.IsNullOrWhiteSpace(webhook.Name) ? webhook.Url : webhook.Name.Trim();

    private static WebhookOptions WebhookOptionsFrom(WebhookSettings webhook) => new(
        WebhookName(webhook),
        new Uri(webhook.Url),
        webhook.Secret,
        webhook.Domains,
        webhook.MaxAttempts,
        TimeSpan.FromSeconds(webhook.FirstRetrySeconds),
        TimeSpan.FromSeconds(webhook.MaxRetrySeconds),
        TimeSpan.FromSeconds(webhook.PauseSeconds),
        TimeSpan.FromSeconds(webhook.TimeoutSeconds),
        webhook.MaxInlineBytes,
        webhook.IncludeQuarantined);

    private static MembershipOptions MembershipOptionsFrom(ClusterSettings cluster) => new(
        cluster.HostName,
        cluster.Port,
        cluster.PublicHostName,
        cluster.Seeds,
        new FailoverTiming(
            TimeSpan.FromMilliseconds(cluster.HeartbeatIntervalMilliseconds),
            TimeSpan.FromMilliseconds(cluster.AcceptableHeartbeatPauseMilliseconds),
            TimeSpan.FromMilliseconds(cluster.StableAfterMilliseconds),
            TimeSpan.FromMilliseconds(cluster.DownRemovalMarginMilliseconds)));
}
