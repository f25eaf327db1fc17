namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Retention.</summary>
public sealed class RetentionSettings
{
    /// <summary>Age (a .NET TimeSpan string, "7.00:00:00") after which a message is deleted; absent keeps mail forever.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>Recipient domains with an age of their own.</summary>
    public RetentionDomainSettings[] Domains { get; set; } = [];
}

/// <summary>One entry of the MailIngest:Retention:Domains list.</summary>
public sealed class RetentionDomainSettings
{
    /// <summary>The recipient domain (any case).</summary>
    public string Domain { get; set; } = "";

    /// <summary>This domain's age; absent keeps its mail forever, whatever the default.</summary>
    public TimeSpan? MaxAge { get; set; }
}
