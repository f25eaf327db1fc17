namespace MailIngest.Smtp.Authentication;

/// <summary>What the checks found out about one message: SPF for its envelope, each DKIM signature, DMARC for its
/// From domain, and its ARC chain.</summary>
public sealed record MessageAuthentication(SpfVerdict Spf, IReadOnlyList<DkimVerdict> Dkim, DmarcVerdict Dmarc, AuthResult Arc);
