using MailIngest.Smtp.Authentication;
using Org.BouncyCastle.Crypto;

namespace MailIngest.Actors.Authentication;

/// <summary>A signer's public key as found in DNS, or the result and reason that stand for it when none is usable.</summary>
/// <param name="Key">The key as MimeKit's verifiers take it.</param>
/// <param name="Rsa">An RSA key for the platform's RSA (see <see cref="DkimCheck"/>).</param>
public sealed record DkimKey(AsymmetricKeyParameter? Key, AuthResult Result, string? Reason, RsaPublicKey? Rsa = null)
{
    /// <summary>No usable key: <paramref name="result"/> is the signature's verdict.</summary>
    public static DkimKey Unusable(AuthResult result, string reason) => new(null, result, reason);
}
