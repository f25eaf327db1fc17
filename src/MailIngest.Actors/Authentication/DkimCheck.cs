using System.Globalization;
using MailIngest.Smtp.Authentication;
using MimeKit;
using MimeKit.Cryptography;

namespace MailIngest.Actors.Authentication;

/// <summary>
/// Verifies every DKIM-Signature of a message (RFC 6376 §6; RSA-SHA256 and Ed25519-SHA256, RFC 8463) and finds out why
/// one fails: the signature's own tags first (syntax, algorithm, expiry), then its key, then the body hash, so that
/// "fail" comes with "body hash mismatch" or "signature mismatch". RSA — nearly all mail — is checked here on the raw
/// octets with the platform's RSA (OpenSSL): MimeKit's verifier needs a parse of the whole message and does RSA with
/// BouncyCastle's managed arithmetic, together measured at ~0.5 ms of CPU per message. Ed25519 goes to MimeKit.
/// </summary>
public sealed class DkimCheck(DnsKeyLocator keys, TimeProvider clock)
{
    // Each signature may cost a DNS query and a hash over the body; a message carrying dozens is an attack, not mail.
    private const int MaxSignatures = 8;

    // The part of b= the Authentication-Results field shows (RFC 6008 §4: enough to tell signatures apart).
    private const int SignaturePrefix = 8;

    /// <summary>One verdict per DKIM-Signature field, in the order they appear (at most <see cref="MaxSignatures"/>).</summary>
    public async Task<IReadOnlyList<DkimVerdict>> VerifyAsync(SpooledMessage message, CancellationToken cancellation)
    {
        var verdicts = new List<DkimVerdict>();
        var fields = message.Headers.Fields;
        for (var i = 0; i < fields.Count && verdicts.Count < MaxSignatures; i++)
        {
            if (fields[i].Name.Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase))
                verdicts.Add(await VerifyAsync(message, i, verdicts.Count, cancellation));
        }

        return verdicts;
    }

    private async Task<DkimVerdict> VerifyAsync(SpooledMessage message, int field, int ordinal, CancellationToken cancellation)
    {
        var tags = DkimTags.Parse(message.Headers.Fields[field].Value);
        var domain = tags?.Get("d") ?? "";
        var selector = tags?.Get("s") ?? "";
        var signature = tags?.Compact("b") ?? "";
        DkimVerdict Verdict(AuthResult result, string? reason) =>
            new(result, domain, selector, reason, signature[..Math.Min(SignaturePrefix, signature.Length)]);

        if (tags is null || domain.Length == 0 || selector.Length == 0 || signature.Length == 0 || tags.Compact("bh") is not { } bodyHash
            || tags.Get("h") is not { } signedFields)
            return Verdict(AuthResult.PermError, "bad syntax");
        if (tags.Get("v") != "1") return Verdict(AuthResult.PermError, "bad syntax (v=)");
        if (tags.Get("a") is not ("rsa-sha256" or "ed25519-sha256") and var algorithm)
            return Verdict(AuthResult.PermError, $"unsupported algorithm {algorithm}");
        // §5.4: the From field MUST be signed.
        var signedNames = signedFields.Split(':');
        if (!signedNames.Any(name => name.Trim().Equals("from", StringComparison.OrdinalIgnoreCase)))
            return Verdict(AuthResult.PermError, "From not signed");
        if (tags.Get("x") is { } x && long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && expires < clock.GetUtcNow().ToUnixTimeSeconds())
            return Verdict(AuthResult.Fail, "signature expired");
        long? length = null;
        if (tags.Get("l") is { } l)
        {
            if (!long.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var octets)) return Verdict(AuthResult.PermError, "bad syntax (l=)");
            length = octets;
        }

        byte[] expectedBody, signed;
        try
        {
            (expectedBody, signed) = (Convert.FromBase64String(bodyHash), Convert.FromBase64String(signature));
        }
        catch (FormatException)
        {
            return Verdict(AuthResult.PermError, "bad syntax (base64)");
        }

        var key = await keys.FetchAsync(domain, selector, cancellation);
        if (key.Key is null) return Verdict(key.Result, key.Reason);

        // c= is "header/body", each simple unless said otherwise (§3.5).
        var canonicalization = tags.Get("c")?.Split('/') ?? [];
        var relaxedHeader = canonicalization.Length > 0 && canonicalization[0].Trim() == "relaxed";
        var relaxedBody = canonicalization.Length > 1 && canonicalization[1].Trim() == "relaxed";
        var body = await DkimBodyHash.ComputeAsync(message.OpenBody(), relaxedBody, length, cancellation);
        if (!body.AsSpan().SequenceEqual(expectedBody)) return Verdict(AuthResult.Fail, "body hash mismatch");

        if (tags.Get("a") == "rsa-sha256")
        {
            if (key.Rsa is not { } rsa) return Verdict(AuthResult.PermError, "key is not an RSA key");
            var data = DkimSignedData.Of(message.Fields, field, signedNames, relaxedHeader);
            return rsa.Verifies(data, signed)
                ? Verdict(AuthResult.Pass, null)
                : Verdict(AuthResult.Fail, "signature mismatch");
        }

        var mime = await message.MimeAsync(cancellation);
        var header = mime.Headers.Where(h => h.Id == HeaderId.DkimSignature).ElementAtOrDefault(ordinal);
        if (header is null) return Verdict(AuthResult.PermError, "bad syntax");
        try
        {
            var verifier = new DkimVerifier(keys) { MinimumRsaKeyLength = DnsKeyLocator.MinimumRsaBits };
            return await verifier.VerifyAsync(mime, header, cancellation)
                ? Verdict(AuthResult.Pass, null)
                : Verdict(AuthResult.Fail, "signature mismatch");
        }
        catch (DnsKeyLocator.KeyUnavailableException unavailable)
        {
            // The key changed between the two lookups (a TTL ran out): its verdict, not an error.
            return Verdict(unavailable.Key.Result, unavailable.Key.Reason);
        }
        catch (FormatException)
        {
            return Verdict(AuthResult.PermError, "bad syntax");
        }
    }
}
