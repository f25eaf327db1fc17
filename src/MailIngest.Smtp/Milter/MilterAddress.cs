using System.Globalization;

namespace MailIngest.Smtp.Milter;

/// <summary>Where a milter listens, in Postfix's syntax: <c>inet:host:port</c> or <c>unix:/path</c>.</summary>
/// <param name="Host">The host of an inet address; null for a Unix socket.</param>
/// <param name="Port">The port of an inet address.</param>
/// <param name="Path">The socket path of a unix address; null for inet.</param>
public sealed record MilterAddress(string? Host, int Port, string? Path)
{
    /// <summary>The address, or null when <paramref name="text"/> is neither form (the settings validator says so).</summary>
    public static MilterAddress? Parse(string? text)
    {
        if (text is null) return null;
        if (text.StartsWith("unix:", StringComparison.Ordinal))
        {
            var path = text["unix:".Length..];
            return System.IO.Path.IsPathFullyQualified(path) ? new MilterAddress(null, 0, path) : null;
        }

        if (!text.StartsWith("inet:", StringComparison.Ordinal)) return null;
        var rest = text["inet:".Length..];
        var colon = rest.LastIndexOf(':');
        if (colon <= 0) return null;
        var host = rest[..colon].TrimStart('[').TrimEnd(']');
        return int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 && host.Length > 0
            ? new MilterAddress(host, port, null)
            : null;
    }

    /// <inheritdoc />
    public override string ToString() => Path is null ? $"inet:{Host}:{Port}" : $"unix:{Path}";
}
