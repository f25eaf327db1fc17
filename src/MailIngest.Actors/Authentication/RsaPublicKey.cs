using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MailIngest.Actors.Authentication;

/// <summary>
/// A signer's RSA key for the platform's RSA (OpenSSL). Building the key is what costs: OpenSSL 3 imports it through
/// its decoders (measured: most of authentication's CPU when done per message, against ~19 µs for a 2048-bit verify),
/// so each key keeps the instances it built and lends one to each verification. An instance is never used by two
/// threads at once, which .NET does not promise to be safe.
/// </summary>
public sealed class RsaPublicKey(RSAParameters parameters)
{
    // At most as many as verifications ran at once with this key.
    private readonly ConcurrentBag<RSA> _idle = [];

    /// <summary>Whether <paramref name="signature"/> is this key's RSASSA-PKCS1-v1_5 SHA-256 signature of <paramref name="data"/>.</summary>
    public bool Verifies(byte[] data, byte[] signature)
    {
        var rsa = _idle.TryTake(out var idle) ? idle : RSA.Create(parameters);
        try
        {
            return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            _idle.Add(rsa);
        }
    }
}
