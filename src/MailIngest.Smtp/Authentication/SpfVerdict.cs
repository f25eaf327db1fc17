namespace MailIngest.Smtp.Authentication;

/// <summary>The outcome of an SPF check (RFC 7208 §2.6).</summary>
/// <param name="Result">The check_host() result.</param>
/// <param name="Domain">The domain checked: the MAIL FROM domain, or the HELO name when the reverse path is null.</param>
/// <param name="Reason">Short text saying why, when the result is not pass; null on pass.</param>
public sealed record SpfVerdict(AuthResult Result, string Domain, string? Reason);
