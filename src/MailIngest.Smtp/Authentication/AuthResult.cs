namespace MailIngest.Smtp.Authentication;

/// <summary>
/// A check's result, in RFC 8601's words (§2.7): every API shows them lower-case ("pass", "temperror", ...).
/// Not every check uses every word: DKIM and DMARC have no softfail or neutral verdict of their own; SPF's are all.
/// </summary>
public enum AuthResult
{
    /// <summary>Nothing to check (no SPF record, no signature, no DMARC policy, no ARC set).</summary>
    None,

    /// <summary>Verified.</summary>
    Pass,

    /// <summary>Verified as not authorised, or a signature that does not verify.</summary>
    Fail,

    /// <summary>SPF "~": probably not authorised.</summary>
    SoftFail,

    /// <summary>SPF "?": the domain asserts nothing.</summary>
    Neutral,

    /// <summary>A transient error (DNS timeout or SERVFAIL): the same check may pass later.</summary>
    TempError,

    /// <summary>A permanent error: a record that cannot be interpreted, or a limit exceeded.</summary>
    PermError,
}
