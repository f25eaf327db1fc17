using System.Collections.Concurrent;
using System.Security.Cryptography;
using MailIngest.Smtp.Authentication;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace MailIngest.Actors.Authentication;

/// <summary>
/// Finds DKIM and ARC public keys in DNS (RFC 6376 §3.6.2: TXT at selector._domainkey.domain) through the shared
/// resolver, and says why a key cannot be used: MimeKit's verifier only answers true or false, and a reader of the
/// verdict needs to tell a missing key from a forged message.
/// </summary>
public sealed class DnsKeyLocator(IDnsLookup dns) : DkimPublicKeyLocatorBase
{
    // RFC 8301 §3.2: verifiers MUST NOT consider signatures using RSA keys of less than 1024 bits valid.
    internal const int MinimumRsaBits = 1024;

    // Reading a key is far dearer than verifying with it: BouncyCastle checks an RSA modulus for primality when it
    // builds the key (measured: ~18 ms of CPU for a 2048-bit key, against well under a millisecond to verify). Keys
    // are kept by their record's text, so a key changed in DNS is read again; bounded like the resolver's cache.
    private const int MaxKeys = 10_000;
    private readonly ConcurrentDictionary<string, DkimKey> _keys = new(StringComparer.Ordinal);

    /// <summary>The key for <paramref name="selector"/> at <paramref name="domain"/>, or why there is none usable.</summary>
    public async Task<DkimKey> FetchAsync(string domain, string selector, CancellationToken cancellation)
    {
        var answer = await dns.TxtAsync($"{selector}._domainkey.{domain}", cancellation);
        if (answer.Status == DnsStatus.TempFail) return DkimKey.Unusable(AuthResult.TempError, "key lookup failed (DNS)");
        // Several TXT records at the name: the first that is a key record counts (RFC 6376 §3.6.2.2 leaves it open).
        var record = answer.Records.FirstOrDefault(txt => txt.Contains("p=", StringComparison.Ordinal));
        if (record is null) return DkimKey.Unusable(AuthResult.PermError, "no key");
        if (_keys.TryGetValue(record, out var known)) return known;
        if (_keys.Count >= MaxKeys) _keys.Clear();
        return _keys[record] = Read(record);
    }

    private DkimKey Read(string record)
    {
        var tags = DkimTags.Parse(record);
        if (tags is null) return DkimKey.Unusable(AuthResult.PermError, "bad key record");
        if (tags.Get("v") is { } version && version != "DKIM1") return DkimKey.Unusable(AuthResult.PermError, "bad key record version");
        if (tags.Get("p") is not { Length: > 0 }) return DkimKey.Unusable(AuthResult.PermError, "revoked key");
        AsymmetricKeyParameter key;
        try
        {
            key = GetPublicKey(record);
        }
        catch (Exception error) when (error is MimeKit.ParseException or FormatException or ArgumentException or InvalidOperationException)
        {
            return DkimKey.Unusable(AuthResult.PermError, "bad key record");
        }

        return key switch
        {
            RsaKeyParameters { Modulus.BitLength: < MinimumRsaBits } => DkimKey.Unusable(AuthResult.PermError, "key too short"),
            RsaKeyParameters rsa => new DkimKey(key, AuthResult.Pass, null,
                new RsaPublicKey(new RSAParameters { Modulus = rsa.Modulus.ToByteArrayUnsigned(), Exponent = rsa.Exponent.ToByteArrayUnsigned() })),
            _ => new DkimKey(key, AuthResult.Pass, null),
        };
    }

    /// <inheritdoc />
    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        LocatePublicKeyAsync(methods, domain, selector, cancellationToken).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override async Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default)
    {
        var found = await FetchAsync(domain, selector, cancellationToken);
        return found.Key ?? throw new KeyUnavailableException(found);
    }

    /// <summary>Thrown into MimeKit's verifier when a key cannot be used; the verifier lets it through to the caller.</summary>
    public sealed class KeyUnavailableException(DkimKey key) : Exception(key.Reason)
    {
        /// <summary>Why.</summary>
        public DkimKey Key { get; } = key;
    }
}
