namespace MailIngest.Smtp.Authentication;

/// <summary>
/// One DNS answer. <see cref="DnsStatus.Ok"/> with no records is NODATA; together with
/// <see cref="DnsStatus.NxDomain"/> it is what RFC 7208 §4.6.4 calls a void lookup.
/// </summary>
public sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records)
{
    /// <summary>The name does not exist.</summary>
    public static DnsAnswer<T> NxDomain { get; } = new(DnsStatus.NxDomain, []);

    /// <summary>The query failed for now (timeout, SERVFAIL, refused).</summary>
    public static DnsAnswer<T> TempFail { get; } = new(DnsStatus.TempFail, []);

    /// <summary>An answer with these records (none is NODATA).</summary>
    public static DnsAnswer<T> Of(IReadOnlyList<T> records) => new(DnsStatus.Ok, records);

    /// <summary>No record: NXDOMAIN or NODATA.</summary>
    public bool IsVoid => Status != DnsStatus.TempFail && Records.Count == 0;
}

/// <summary>How a DNS query ended.</summary>
public enum DnsStatus
{
    /// <summary>An answer (possibly with no records of the type asked for).</summary>
    Ok,

    /// <summary>The name does not exist (RCODE 3).</summary>
    NxDomain,

    /// <summary>No answer for now: timeout, SERVFAIL, REFUSED or a network error.</summary>
    TempFail,
}
