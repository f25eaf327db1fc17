using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailIngest.Actors.Webhooks;

/// <summary>
/// The signature a receiver checks: "v1=" and the lower-case hex HMAC-SHA256, keyed with the webhook's secret, of
/// the timestamp header's value, a ".", and the exact body bytes. The timestamp inside the signed text lets a
/// receiver refuse replays older than it accepts.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Header with the unix time (seconds) of the attempt.</summary>
    public const string TimestampHeader = "X-MailIngest-Timestamp";

    /// <summary>Header with the signature.</summary>
    public const string SignatureHeader = "X-MailIngest-Signature";

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
