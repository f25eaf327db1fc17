using System.Security.Cryptography;

namespace MailIngest.Actors.Delivery;

/// <summary>Queue ids: time-ordered (milliseconds first) and unique without coordination between nodes.</summary>
public static class QueueId
{
    /// <summary>A new id, 22 upper-case hex characters.</summary>
    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[11];
        var millis = now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, millis >>= 8) bytes[i] = (byte)millis;
        RandomNumberGenerator.Fill(bytes[6..]);
        return Convert.ToHexString(bytes);
    }
}
