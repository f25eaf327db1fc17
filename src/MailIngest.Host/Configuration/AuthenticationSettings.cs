namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Authentication: SPF, DKIM, DMARC and ARC at ingest (docs/authentication.md).</summary>
public sealed class AuthenticationSettings
{
    /// <summary>Off, Record (verify and record, refuse nothing) or Enforce (also 550 5.7.1 when DMARC says reject).</summary>
    public AuthenticationMode Mode { get; set; } = AuthenticationMode.Record;

    /// <summary>A newer Public Suffix List (public_suffix_list.dat format) than the copy the product ships.</summary>
    public string PublicSuffixListPath { get; set; } = "";
}
