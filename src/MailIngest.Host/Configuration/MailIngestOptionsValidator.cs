using System.Net;
using System.Runtime.CompilerServices;

namespace MailIngest.Host.Configuration;

/// <summary>Checks the bound options; every error names its configuration key.</summary>
public static class MailIngestOptionsValidator
{
    /// <summary>Errors, empty when the configuration is usable.</summary>
    public static IReadOnlyList<string> Validate(MailIngestOptions options)
    {
        var errors = new List<string>();
        RequireAddress(errors, options.Smtp.BindAddress);
        RequirePort(errors, options.Smtp.Port);
        RequirePositive(errors, options.Smtp.MaxMessageBytes);
        RequirePositive(errors, options.Smtp.MaxRecipients);
        RequirePositive(errors, options.Smtp.MaxErrors);
        RequirePositive(errors, options.Smtp.CommandTimeoutSeconds);
        RequirePositive(errors, options.Smtp.DataTimeoutSeconds);
        RequirePositive(errors, options.Smtp.DeliveryTimeoutSeconds);
        RequirePositive(errors, options.Smtp.MaxConnections);
        RequirePositive(errors, options.Smtp.MaxConnectionsPerClient);
        RequirePositive(errors, options.Smtp.MaxMessagesPerMinutePerClient);
        RequirePositive(errors, options.Smtp.MaxSessionSeconds);
        RequirePositive(errors, options.Smtp.MaxCommandsWithoutMail);
        RequireNotNegative(errors, options.Smtp.DrainGraceSeconds);
        RequireNotNegative(errors, options.Smtp.DrainDelaySeconds);
        for (var i = 0; i < options.Smtp.TrustedNetworks.Length; i++)
        {
            var network = options.Smtp.TrustedNetworks[i];
            if (!IPNetwork.TryParse(network, out _)) errors.Add($"{Key(options.Smtp.TrustedNetworks)}:{i} '{network}' is not a CIDR network.");
        }

        for (var i = 0; i < options.Smtp.AcceptedDomains.Length; i++)
        {
            var domain = options.Smtp.AcceptedDomains[i];
            if (domain != "*" && Uri.CheckHostName(domain) != UriHostNameType.Dns)
                errors.Add($"{Key(options.Smtp.AcceptedDomains)}:{i} '{domain}' is not a domain name.");
        }

        var (certificate, key) = (Key(options.Smtp.Tls.CertificatePath), Key(options.Smtp.Tls.KeyPath));
        var tls = options.Smtp.Tls;
        if (string.IsNullOrWhiteSpace(tls.CertificatePath) != string.IsNullOrWhiteSpace(tls.KeyPath))
            errors.Add($"{certificate} and {key} must be set together.");
        foreach (var (name, path) in new[] { (certificate, tls.CertificatePath), (key, tls.KeyPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path)) errors.Add($"{name} '{path}' does not exist.");
        }

        if (tls.ImplicitPort is { } implicitPort)
        {
            var implicitKey = Key(options.Smtp.Tls.ImplicitPort);
            RequirePort(errors, implicitPort, implicitKey);
            if (string.IsNullOrWhiteSpace(tls.CertificatePath)) errors.Add($"{implicitKey} needs {certificate} and {key}.");
        }

        RequireAddress(errors, options.Admin.BindAddress);
        RequirePort(errors, options.Admin.Port);
        // A header value never carries outer whitespace (a Secret made from a file often ends in a newline), so such a
        // token could never be presented. The message leaves the value out: it is a secret.
        if (options.Admin.Token.Length > 0 && options.Admin.Token.Trim() != options.Admin.Token)
            errors.Add($"{Key(options.Admin.Token)} must not begin or end with whitespace (a trailing newline from the Secret's file?).");

        if (string.IsNullOrWhiteSpace(options.Storage.DataDirectory)) errors.Add($"{Key(options.Storage.DataDirectory)} must not be empty.");
        if (options.Storage.Provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
            errors.Add($"{Key(options.Storage.ConnectionString)} is required when {Key(options.Storage.Provider)} is {StorageProvider.PostgreSql}.");

        RequirePort(errors, options.Cluster.Port);
        if (string.IsNullOrWhiteSpace(options.Cluster.HostName)) errors.Add($"{Key(options.Cluster.HostName)} must not be empty.");
        for (var i = 0; i < options.Cluster.Seeds.Length; i++)
        {
            var seed = options.Cluster.Seeds[i];
            if (!seed.Contains("://", StringComparison.Ordinal) && !IsHostAndPort(seed))
                errors.Add($"{Key(options.Cluster.Seeds)}:{i} '{seed}' is not host:port or an akka.tcp:// address.");
        }

        RequirePositive(errors, options.Cluster.HeartbeatIntervalMilliseconds);
        RequirePositive(errors, options.Cluster.AcceptableHeartbeatPauseMilliseconds);
        RequirePositive(errors, options.Cluster.StableAfterMilliseconds);
        RequireNotNegative(errors, options.Cluster.DownRemovalMarginMilliseconds);
        ValidateWebhooks(errors, options.Webhooks, Key(options.Webhooks));
        return errors;
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
            for (var d = 0; d < webhook.Domains.Length; d++)
            {
                if (Uri.CheckHostName(webhook.Domains[d]) != UriHostNameType.Dns)
                    errors.Add($"{section}{nameof(webhook.Domains)}:{d} '{webhook.Domains[d]}' is not a domain name.");
            }
        }

        foreach (var name in webhooks.GroupBy(NodeSettings.WebhookName).Where(group => group.Count() > 1).Select(group => group.Key))
            errors.Add($"{webhooksKey}: two webhooks are named '{name}' (Name, or the Url when Name is empty); names must differ.");
    }

    private static bool IsHostAndPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], out var port) && port is > 0 and <= 65535;
    }

    /// <summary>
    /// The configuration key of a setting, spelled from the expression that reads it: <c>options.Smtp.Tls.KeyPath</c>
    /// is <c>MailIngest:Smtp:Tls:KeyPath</c>, so a renamed property renames its key in every message.
    /// </summary>
    private static string Key(object? setting, [CallerArgumentExpression(nameof(setting))] string expression = "") =>
        MailIngestOptions.Section + ":" + expression[(expression.IndexOf('.') + 1)..].Replace('.', ':');

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
