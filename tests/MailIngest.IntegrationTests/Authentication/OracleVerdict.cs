using MailIngest.Smtp.Authentication;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// What the oracle expects MailIngest to conclude for one <see cref="OracleCase"/>, in RFC 8601's words.
/// <see cref="OracleException"/> says where dkimpy/authheaders departed from the RFCs and the verdict was corrected.
/// </summary>
public sealed record OracleVerdict(AuthResult Spf, IReadOnlyList<OracleDkimVerdict> Dkim, OracleDmarcVerdict Dmarc, AuthResult Arc,
    string? OracleException);

/// <summary>One DKIM signature's verdict; an unsigned message has one, <see cref="AuthResult.None"/> with no domain.</summary>
public sealed record OracleDkimVerdict(AuthResult Result, string? Domain, string? Selector);

/// <summary>The DMARC verdict and the policy that applies (p= or sp=: none, quarantine, reject); no policy without a record.</summary>
public sealed record OracleDmarcVerdict(AuthResult Result, string? Policy);
