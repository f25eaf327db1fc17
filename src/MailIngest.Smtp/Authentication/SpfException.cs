namespace MailIngest.Smtp.Authentication;

/// <summary>
/// Ends an SPF evaluation with temperror or permerror. RFC 7208 has these end check_host() at once wherever they
/// happen, however deep in include and redirect (§4.4, §4.6, §4.6.4, §5.2), so they unwind instead of returning.
/// </summary>
internal sealed class SpfException(AuthResult result, string reason) : Exception(reason)
{
    public AuthResult Result { get; } = result;

    public static SpfException Permanent(string reason) => new(AuthResult.PermError, reason);
}
