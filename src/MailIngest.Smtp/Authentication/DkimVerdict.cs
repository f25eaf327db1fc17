namespace MailIngest.Smtp.Authentication;

/// <summary>One DKIM-Signature's verdict (RFC 6376 §6.1): what it claims and whether it verified.</summary>
/// <param name="Result">pass, fail (did not verify), temperror (the key could not be fetched now) or permerror (the
/// signature or its key cannot be used: bad syntax, no key, revoked key, unsupported algorithm).</param>
/// <param name="Domain">The signing domain (d=).</param>
/// <param name="Selector">The selector (s=).</param>
/// <param name="Reason">Why, when not pass: "body hash mismatch", "signature mismatch", "no key", ...</param>
/// <param name="Signature">The first characters of b=, which RFC 6008 uses to tell signatures apart (header.b).</param>
public sealed record DkimVerdict(AuthResult Result, string Domain, string Selector, string? Reason, string Signature);
