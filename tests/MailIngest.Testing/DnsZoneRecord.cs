namespace MailIngest.Testing;

/// <summary>
/// One record of a <see cref="DnsZone"/>. <paramref name="Type"/> is TXT, A, AAAA, MX or PTR; <paramref name="Value"/>
/// is the record's text as in a zone file without quotes: a TXT string of any length (the server splits it into
/// character-strings of at most 255 bytes), an address, "preference exchange" for MX ("10 mx.example.com"), a host
/// name for PTR (whose <paramref name="Name"/> is the in-addr.arpa or ip6.arpa name).
/// </summary>
public sealed record DnsZoneRecord(string Name, string Type, string Value, int Ttl = 300);
