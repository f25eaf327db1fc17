using System.Net;

namespace MailIngest.Host.Configuration;

/// <summary>Checks the bound options; every error names its configuration key.</summary>
public static class MailIngestOptionsValidator
{
    /// <summary>Errors, empty when the configuration is usable.</summary>
    public static IReadOnlyList<string> Validate(MailIngestOptions options)
    {
        var errors = new List<string>();
        const string smtp = "MailIngest:Smtp:";
        RequireAddress(errors, smtp + "BindAddress", options.Smtp.BindAddress);
        RequirePort(errors, smtp + "Port", options.Smtp.Port);
        RequirePositive(errors, smtp + "MaxMessageBytes", options.Smtp.MaxMessageBytes);
        RequirePositive(errors, smtp + "MaxRecipients", options.Smtp.MaxRecipients);
        RequirePositive(errors, smtp + "MaxErrors", options.Smtp.MaxErrors);
        RequirePositive(errors, smtp + "CommandTimeoutSeconds", options.Smtp.CommandTimeoutSeconds);
        RequirePositive(errors, smtp + "DataTimeoutSeconds", options.Smtp.DataTimeoutSeconds);
        RequirePositive(errors, smtp + "DeliveryTimeoutSeconds", options.Smtp.DeliveryTimeoutSeconds);
        RequirePositive(errors, smtp + "MaxConnections", options.Smtp.MaxConnections);
        RequirePositive(errors, smtp + "MaxConnectionsPerClient", options.Smtp.MaxConnectionsPerClient);
        RequirePositive(errors, smtp + "MaxMessagesPerMinutePerClient", options.Smtp.MaxMessagesPerMinutePerClient);
        RequirePositive(errors, smtp + "MaxSessionSeconds", options.Smtp.MaxSessionSeconds);
        RequirePositive(errors, smtp + "MaxCommandsWithoutMail", options.Smtp.MaxCommandsWithoutMail);
        if (options.Smtp.DrainGraceSeconds < 0) errors.Add($"{smtp}DrainGraceSeconds must not be negative.");
        if (options.Smtp.DrainDelaySeconds < 0) errors.Add($"{smtp}DrainDelaySeconds must not be negative.");
        for (var i = 0; i < options.Smtp.TrustedNetworks.Length; i++)
        {
            if (!IPNetwork.TryParse(options.Smtp.TrustedNetworks[i], out _))
                errors.Add($"{smtp}TrustedNetworks:{i} '{options.Smtp.TrustedNetworks[i]}' is not a CIDR network.");
        }

        for (var i = 0; i < options.Smtp.AcceptedDomains.Length; i++)
        {
            var domain = options.Smtp.AcceptedDomains[i];
            if (domain != "*" && Uri.CheckHostName(domain) != UriHostNameType.Dns)
                errors.Add($"{smtp}AcceptedDomains:{i} '{domain}' is not a domain name.");
        }

        var tls = options.Smtp.Tls;
        if (string.IsNullOrWhiteSpace(tls.CertificatePath) != string.IsNullOrWhiteSpace(tls.KeyPath))
            errors.Add($"{smtp}Tls:CertificatePath and {smtp}Tls:KeyPath must be set together.");
        foreach (var (key, path) in new[] { ("CertificatePath", tls.CertificatePath), ("KeyPath", tls.KeyPath) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path)) errors.Add($"{smtp}Tls:{key} '{path}' does not exist.");
        }

        if (tls.ImplicitPort is { } implicitPort)
        {
            RequirePort(errors, smtp + "Tls:ImplicitPort", implicitPort);
            if (string.IsNullOrWhiteSpace(tls.CertificatePath)) errors.Add($"{smtp}Tls:ImplicitPort needs {smtp}Tls:CertificatePath and KeyPath.");
        }

        RequireAddress(errors, "MailIngest:Admin:BindAddress", options.Admin.BindAddress);
        RequirePort(errors, "MailIngest:Admin:Port", options.Admin.Port);
        // A header value never carries outer whitespace (a Secret made from a file often ends in a newline), so such a
        // token could never be presented. The message leaves the value out: it is a secret.
        if (options.Admin.Token.Length > 0 && options.Admin.Token.Trim() != options.Admin.Token)
            errors.Add("MailIngest:Admin:Token must not begin or end with whitespace (a trailing newline from the Secret's file?).");

        if (string.IsNullOrWhiteSpace(options.Storage.DataDirectory))
            errors.Add("MailIngest:Storage:DataDirectory must not be empty.");
        if (options.Storage.Provider == StorageProvider.PostgreSql && string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
            errors.Add("MailIngest:Storage:ConnectionString is required when MailIngest:Storage:Provider is PostgreSql.");

        RequirePort(errors, "MailIngest:Cluster:Port", options.Cluster.Port);
        if (string.IsNullOrWhiteSpace(options.Cluster.HostName)) errors.Add("MailIngest:Cluster:HostName must not be empty.");
        for (var i = 0; i < options.Cluster.Seeds.Length; i++)
        {
            var seed = options.Cluster.Seeds[i];
            if (!seed.Contains("://", StringComparison.Ordinal) && !IsHostAndPort(seed))
                errors.Add($"MailIngest:Cluster:Seeds:{i} '{seed}' is not host:port or an akka.tcp:// address.");
        }

        const string cluster = "MailIngest:Cluster:";
        RequirePositive(errors, cluster + "HeartbeatIntervalMilliseconds", options.Cluster.HeartbeatIntervalMilliseconds);
        RequirePositive(errors, cluster + "AcceptableHeartbeatPauseMilliseconds", options.Cluster.AcceptableHeartbeatPauseMilliseconds);
        RequirePositive(errors, cluster + "StableAfterMilliseconds", options.Cluster.StableAfterMilliseconds);
        if (options.Cluster.DownRemovalMarginMilliseconds < 0) errors.Add($"{cluster}DownRemovalMarginMilliseconds must not be negative.");
        ValidateWebhooks(errors, options.Webhooks);
        return errors;
    }

    private static void ValidateWebhooks(List<string> errors, WebhookSettings[] webhooks)
    {
        for (var i = 0; i < webhooks.Length; i++)
        {
            var (key, webhook) = ($"MailIngest:Webhooks:{i}:", webhooks[i]);
            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add($"{key}Url '{webhook.Url}' is not an absolute http or https URL.");
            // The value is a secret: the message never shows it.
            if (webhook.Secret.Length < 16) errors.Add($"{key}Secret must be at least 16 characters.");
            RequirePositive(errors, key + "MaxAttempts", webhook.MaxAttempts);
            foreach (var (name, value) in new[]
            {
                ("FirstRetrySeconds", webhook.FirstRetrySeconds), ("MaxRetrySeconds", webhook.MaxRetrySeconds),
                ("PauseSeconds", webhook.PauseSeconds), ("TimeoutSeconds", webhook.TimeoutSeconds),
            })
            {
                if (!(value > 0)) errors.Add($"{key}{name} must be greater than 0.");
            }

            if (webhook.MaxInlineBytes < 0) errors.Add($"{key}MaxInlineBytes must not be negative.");
            for (var d = 0; d < webhook.Domains.Length; d++)
            {
                if (Uri.CheckHostName(webhook.Domains[d]) != UriHostNameType.Dns)
                    errors.Add($"{key}Domains:{d} '{webhook.Domains[d]}' is not a domain name.");
            }
        }

        foreach (var name in webhooks.GroupBy(NodeSettings.WebhookName).Where(group => group.Count() > 1).Select(group => group.Key))
            errors.Add($"MailIngest:Webhooks: two webhooks are named '{name}' (Name, or the Url when Name is empty); names must differ.");
    }

    private static bool IsHostAndPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], out var port) && port is > 0 and <= 65535;
    }

    private static void RequireAddress(List<string> errors, string key, string value)
    {
        if (!IPAddress.TryParse(value, out _)) errors.Add($"{key} '{value}' is not an IP address.");
    }

    private static void RequirePort(List<string> errors, string key, int value)
    {
        if (value is < 0 or > 65535) errors.Add($"{key} {value} is not a port (0-65535, 0 picks a free port).");
    }

    private static void RequirePositive(List<string> errors, string key, long value)
    {
        if (value <= 0) errors.Add($"{key} must be greater than 0.");
    }
}
