namespace MailIngest.Smtp.Authentication;

/// <summary>The outcome of DMARC for one message (RFC 7489 §6.6), in the words an Authentication-Results header uses.</summary>
/// <param name="Result">Pass, Fail, None (no policy published), TempError (DNS failed for now) or PermError (the From domain is not a domain name).</param>
/// <param name="Domain">The RFC5322.From domain the verdict is about.</param>
/// <param name="Policy">"none", "quarantine" or "reject" as published for this domain ("p", or "sp" for a subdomain that found its policy at the Organizational Domain); null when no policy applies.</param>
/// <param name="AppliedPolicy">When <paramref name="Result"/> is Fail, what to do with this message once "pct" sampling is done (§6.6.4); otherwise null.</param>
/// <param name="Reason">Why, for logs and the header's comment.</param>
public sealed record DmarcVerdict(AuthResult Result, string Domain, string? Policy, string? AppliedPolicy, string? Reason);
