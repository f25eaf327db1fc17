using System.Net;
using System.Runtime.CompilerServices;
using MailIngest.Smtp.Milter;

namespace MailIngest.Host.Configuration;

/// <summary>Checks the bound settings; every error names its configuration key.</summary>
public static class MailIngestSettingsValidator
{
    /// <summary>Errors, empty when the configuration is usable.</summary>
    public static IReadOnlyList<string> Validate(MailIngestSettings settings)
    {
        var errors = new List<string>();
        RequireAddress(errors, settings.Smtp.BindAddress);
        RequirePort(errors, settings.Smtp.Port);
        RequirePositive(errors, settings.Smtp.MaxMessageBytes);
        RequirePositive(errors, settings.Smtp.MaxRecipients);
        RequirePositive(errors, settings.Smtp.MaxErrors);
        RequirePositive(errors, settings.Smtp.CommandTimeoutSeconds);
        RequirePositive(errors, settings.Smtp.DataTimeoutSeconds);
        RequirePositive(errors, settings.Smtp.DeliveryTimeoutSeconds);
        RequirePositive(errors, settings.Smtp.MaxConnections);
        RequirePositive(errors, settings.Smtp.MaxConnectionsPerClient);
        RequirePositive(errors, settings.Smtp.MaxMessagesPerMinutePerClient);
        RequirePositive(errors, settings.Smtp.MaxSessionSeconds);
        RequirePositive(errors, settings.Smtp.MaxCommandsWithoutMail);
        RequireNotNegative(errors, settings.Smtp.DrainGraceSeconds);
        RequireNotNegative(errors, settings.Smtp.DrainDelaySeconds);
        RequireEach(errors, settings.Smtp.TrustedNetworks, network => IPNetwork.TryParse(network, out _), "is not a CIDR network");
        RequireEach(errors, settings.Smtp.AcceptedDomains, domain => domain == "*" || IsDomainName(domain), "is not a domain name");

        var (certificate, key) = (Key(settings.Smtp.Tls.CertificatePath), Key(settings.Smtp.Tls.KeyPath));
        var tls = settings.Smtp.Tls;
        if (string.IsNullOrWhiteSpace(tls.CertificatePath) != string.IsNullOrWhiteSpace(tls.KeyPath))
            errors.Add($"{certificate} and {key} must be set together.");
        foreach (var (name, path) in new[] { (certificate, tls.CertificatePath), (key, tls.KeyPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path)) errors.Add($"{name} '{path}' does not exist.");
        }

        if (tls.ImplicitPort is { } implicitPort)
        {
            var implicitKey = Key(settings.Smtp.Tls.ImplicitPort);
            RequirePort(errors, implicitPort, implicitKey);
            if (string.IsNullOrWhiteSpace(tls.CertificatePath)) errors.Add($"{implicitKey} needs {certificate} and {key}.");
        }

        RequireAddress(errors, settings.Admin.BindAddress);
        RequirePort(errors, settings.Admin.Port);
        // A header value never carries outer whitespace (a Secret made from a file often ends in a newline), so such a
        // token could never be presented. The message leaves the value out: it is a secret.
        if (settings.Admin.Token.Length > 0 && settings.Admin.Token.Trim() != settings.Admin.Token)
            errors.Add($"{Key(settings.Admin.Token)} must not begin or end with whitespace (a trailing newline from the Secret's file?).");

        if (string.IsNullOrWhiteSpace(settings.Storage.DataDirectory)) errors.Add($"{Key(settings.Storage.DataDirectory)} must not be empty.");
        RequireNotNegative(errors, settings.Storage.MinFreeBytes);
        if (settings.Storage.Provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(settings.Storage.ConnectionString))
            errors.Add($"{Key(settings.Storage.ConnectionString)} is required when {Key(settings.Storage.Provider)} is {StorageProvider.PostgreSql}.");

        RequirePort(errors, settings.Cluster.Port);
        if (string.IsNullOrWhiteSpace(settings.Cluster.HostName)) errors.Add($"{Key(settings.Cluster.HostName)} must not be empty.");
        RequireEach(errors, settings.Cluster.Seeds, seed => seed.Contains("://", StringComparison.Ordinal) || IsHostAndPort(seed),
            "is not host:port or an akka.tcp:// address");

        RequirePositive(errors, settings.Cluster.HeartbeatIntervalMilliseconds);
        RequirePositive(errors, settings.Cluster.AcceptableHeartbeatPauseMilliseconds);
        RequirePositive(errors, settings.Cluster.StableAfterMilliseconds);
        RequireNotNegative(errors, settings.Cluster.DownRemovalMarginMilliseconds);
        ValidateWebhooks(errors, settings.Webhooks, Key(settings.Webhooks));
        ValidateMilters(errors, settings.Milters, Key(settings.Milters));
        if (!Enum.IsDefined(settings.Authentication.Mode)) errors.Add($"{Key(settings.Authentication.Mode)} must be Off, Record or Enforce.");
        var suffixes = settings.Authentication.PublicSuffixListPath;
        if (suffixes.Length > 0 && !File.Exists(suffixes)) errors.Add($"{Key(settings.Authentication.PublicSuffixListPath)} '{suffixes}' does not exist.");
        RequireEach(errors, settings.Dns.Servers, server => IPEndPoint.TryParse(server, out var endpoint) && endpoint.Port > 0,
            "is not an IP address and port (127.0.0.1:53, [::1]:53)");
        RequirePositive(errors, settings.Dns.TimeoutMilliseconds);
        ValidateRetention(errors, settings.Retention, Key(settings.Retention.MaxAge), Key(settings.Retention.Domains));
        if (settings.Quota.MaxMessagesPerMailbox is { } messages) RequirePositive(errors, messages, Key(settings.Quota.MaxMessagesPerMailbox));
        if (settings.Quota.MaxBytesPerMailbox is { } octets) RequirePositive(errors, octets, Key(settings.Quota.MaxBytesPerMailbox));
        return errors;
    }

    private static void ValidateRetention(List<string> errors, RetentionSettings retention, string maxAgeKey, string domainsKey)
    {
        if (retention.MaxAge is { } maxAge) RequirePositive(errors, maxAge.TotalSeconds, maxAgeKey);
        for (var i = 0; i < retention.Domains.Length; i++)
        {
            var (section, domain) = ($"{domainsKey}:{i}:", retention.Domains[i]);
            if (string.IsNullOrWhiteSpace(domain.Domain)) errors.Add($"{section}{nameof(domain.Domain)} must not be empty.");
            if (domain.MaxAge is { } age) RequirePositive(errors, age.TotalSeconds, section + nameof(domain.MaxAge));
        }

        // Two ages for one domain: which one applies would depend on the order.
        foreach (var twice in retention.Domains.GroupBy(domain => domain.Domain.Trim(), StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
            errors.Add($"{domainsKey} names {twice.Key} more than once.");
    }

    private static void ValidateWebhooks(List<string> errors, WebhookSettings[] webhooks, string webhooksKey)
    {
        for (var i = 0; i < webhooks.Length; i++)
        {
            var (section, webhook) = ($"{webhooksKey}:{i}:", webhooks[i]);
            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add($"{section}{nameof(webhook.Url)} '{webhook.Url}' is not an absolute http or https URL.");
            // The value is a secret: the message never shows it.
            if (webhook.Secret.Length < 16) errors.Add($"{section}{nameof(webhook.Secret)} must be at least 16 characters.");
            RequirePositive(errors, webhook.MaxAttempts, section + nameof(webhook.MaxAttempts));
            RequirePositive(errors, webhook.FirstRetrySeconds, section + nameof(webhook.FirstRetrySeconds));
            RequirePositive(errors, webhook.MaxRetrySeconds, section + nameof(webhook.MaxRetrySeconds));
            RequirePositive(errors, webhook.PauseSeconds, section + nameof(webhook.PauseSeconds));
            RequirePositive(errors, webhook.TimeoutSeconds, section + nameof(webhook.TimeoutSeconds));
            RequireNotNegative(errors, webhook.MaxInlineBytes, section + nameof(webhook.MaxInlineBytes));
            RequireEach(errors, webhook.Domains, IsDomainName, "is not a domain name", section + nameof(webhook.Domains));
        }

        foreach (var name in webhooks.GroupBy(NodeOptions.WebhookName).Where(group => group.Count() > 1).Select(group => group.Key))
            errors.Add($"{webhooksKey}: two webhooks are named '{name}' (Name, or the Url when Name is empty); names must differ.");
    }

    private static void ValidateMilters(List<string> errors, MilterSettings[] milters, string miltersKey)
    {
        for (var i = 0; i < milters.Length; i++)
        {
            var (section, milter) = ($"{miltersKey}:{i}:", milters[i]);
            if (MilterAddress.Parse(milter.Address) is null)
                errors.Add($"{section}{nameof(milter.Address)} '{milter.Address}' is not inet:host:port or unix:/absolute/path.");
            if (!Enum.IsDefined(milter.DefaultAction))
                errors.Add($"{section}{nameof(milter.DefaultAction)} must be TempFail, Accept or Reject.");
            RequirePositive(errors, milter.ConnectTimeoutMilliseconds, section + nameof(milter.ConnectTimeoutMilliseconds));
            RequirePositive(errors, milter.CommandTimeoutMilliseconds, section + nameof(milter.CommandTimeoutMilliseconds));
            RequirePositive(errors, milter.ContentTimeoutMilliseconds, section + nameof(milter.ContentTimeoutMilliseconds));
        }

        foreach (var name in milters.GroupBy(NodeOptions.MilterName).Where(group => group.Count() > 1).Select(group => group.Key))
            errors.Add($"{miltersKey}: two milters are named '{name}' (Name, or the Address when Name is empty); names must differ.");
    }

    private static bool IsDomainName(string value) => Uri.CheckHostName(value) == UriHostNameType.Dns;

    private static bool IsHostAndPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], out var port) && port is > 0 and <= 65535;
    }

    /// <summary>
    /// The configuration key of a setting, spelled from the expression that reads it: <c>settings.Smtp.Tls.KeyPath</c>
    /// is <c>MailIngest:Smtp:Tls:KeyPath</c>, so a renamed property renames its key in every message.
    /// </summary>
    private static string Key(object? setting, [CallerArgumentExpression(nameof(setting))] string expression = "") =>
        MailIngestSettings.Section + ":" + expression[(expression.IndexOf('.') + 1)..].Replace('.', ':');

    /// <summary>Every item of a list key that fails <paramref name="valid"/> is an error named by its index (<c>Key:i</c>).</summary>
    private static void RequireEach(List<string> errors, string[] items, Func<string, bool> valid, string problem, string? key = null,
        [CallerArgumentExpression(nameof(items))] string expression = "")
    {
        for (var i = 0; i < items.Length; i++)
        {
            if (!valid(items[i])) errors.Add($"{key ?? Key(null, expression)}:{i} '{items[i]}' {problem}.");
        }
    }

    private static void RequireAddress(List<string> errors, string value, [CallerArgumentExpression(nameof(value))] string expression = "")
    {
        if (!IPAddress.TryParse(value, out _)) errors.Add($"{Key(null, expression)} '{value}' is not an IP address.");
    }

    private static void RequirePort(List<string> errors, int value, string? key = null, [CallerArgumentExpression(nameof(value))] string expression = "")
    {
        if (value is < 0 or > 65535) errors.Add($"{key ?? Key(null, expression)} {value} is not a port (0-65535, 0 picks a free port).");
    }

    private static void RequirePositive(List<string> errors, double value, string? key = null, [CallerArgumentExpression(nameof(value))] string expression = "")
    {
        if (!(value > 0)) errors.Add($"{key ?? Key(null, expression)} must be greater than 0.");
    }

    private static void RequireNotNegative(List<string> errors, double value, string? key = null, [CallerArgumentExpression(nameof(value))] string expression = "")
    {
        if (value < 0) errors.Add($"{key ?? Key(null, expression)} must not be negative.");
    }
}
