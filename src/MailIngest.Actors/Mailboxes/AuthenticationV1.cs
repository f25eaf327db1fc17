using System.Text.Json.Serialization;
using MailIngest.Smtp.Authentication;

namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// The authentication verdicts stored with a message ("authentication" in every API): a versioned contract inside
/// <see cref="StoredMessageV1"/>, absent (null) on rows from before it existed or from a node with
/// MailIngest:Authentication:Mode Off — "not evaluated". Results are RFC 8601's words. Never change a field's meaning.
/// </summary>
public sealed record AuthenticationV1(
    AuthenticationV1.SpfResult Spf,
    IReadOnlyList<AuthenticationV1.DkimResult> Dkim,
    AuthenticationV1.DmarcResult Dmarc,
    AuthenticationV1.ArcResult Arc)
{
    /// <summary>The journal form of the checks' verdicts.</summary>
    public static AuthenticationV1 Of(MessageAuthentication verdict) => new(
        new SpfResult(Word(verdict.Spf.Result), verdict.Spf.Domain, verdict.Spf.Reason),
        verdict.Dkim.Select(d => new DkimResult(Word(d.Result), d.Domain, d.Selector, d.Reason)).ToArray(),
        new DmarcResult(Word(verdict.Dmarc.Result), verdict.Dmarc.Domain, verdict.Dmarc.Policy, verdict.Dmarc.AppliedPolicy, verdict.Dmarc.Reason),
        new ArcResult(Word(verdict.Arc)));

    private static string Word(AuthResult result) => AuthenticationResultsHeader.Word(result);

    /// <summary>SPF (RFC 7208) for the MAIL FROM domain, or the HELO name for a null reverse path.</summary>
    public sealed record SpfResult(
        string Result,
        string Domain,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

    /// <summary>One DKIM-Signature (RFC 6376); "reason" says why when not pass.</summary>
    public sealed record DkimResult(string Result, string Domain, string Selector, string? Reason);

    /// <summary>DMARC (RFC 7489) for the From domain: the policy published for it and the one applied to this message.</summary>
    public sealed record DmarcResult(
        string Result,
        string Domain,
        string? Policy,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AppliedPolicy = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

    /// <summary>The ARC chain (RFC 8617): none, pass or fail.</summary>
    public sealed record ArcResult(string Result);
}
