using MailIngest.Smtp.Authentication;
using Org.BouncyCastle.Crypto;

namespace MailIngest.Actors.Authentication;

/// <summary>A signer's public key as found in DNS, or the result and reason that stand for it when none is usable.</summary>
public sealed record DkimKey(AsymmetricKeyParameter? Key, AuthResult Result, string? Reason)
{
    /// <summary>No usable key: <paramref name="result"/> is the signature's verdict.</summary>
    public static DkimKey Unusable(AuthResult result, string reason) => new(null, result, reason);
}
