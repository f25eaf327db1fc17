namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Dns: the resolver SPF, DKIM, DMARC and ARC ask.</summary>
public sealed class DnsSettings
{
    /// <summary>Resolvers as host:port (an IP address, [v6]:port for IPv6); empty: the system's (/etc/resolv.conf).</summary>
    public string[] Servers { get; set; } = [];

    /// <summary>How long one query may take, retry included, before its check reads temperror.</summary>
    public int TimeoutMilliseconds { get; set; } = 2000;
}
