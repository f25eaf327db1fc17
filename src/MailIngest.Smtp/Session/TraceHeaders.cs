using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailIngest.Smtp.Session;

/// <summary>Builds the trace fields a receiving server prepends (RFC 5321 §4.4).</summary>
public static class TraceHeaders
{
    // RFC 5322 §2.1.1: lines SHOULD be no more than 78 characters excluding CRLF.
    private const int MaxLineLength = 78;

    /// <summary>
    /// "Return-Path: &lt;reverse-path&gt;\r\nReceived: from ... by ... with ESMTP id ...; date\r\n", with a
    /// "for &lt;addr&gt;" clause only when there is exactly one recipient. Header lines are folded under 78 octets.
    /// </summary>
    public static string Build(Envelope envelope, string queueId, DateTimeOffset receivedAt, SmtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(options);

        // RFC 5321 §4.1.1.2 / §4.4: the peer is named by address literal only (no reverse DNS in the core).
        var tokens = new List<string>
        {
            $"from {envelope.ClientName}",
            $"({AddressLiteral(envelope.Connection.RemoteAddress)})",
            $"by {options.HostName}",
            $"(MailIngest {options.SoftwareVersion})",
            $"with {Protocol(envelope)}",
        };
        if (envelope.Tls is { } tls)
        {
            tokens.Add($"(using {tls.Protocol} with cipher {tls.Cipher})");
        }

        tokens.Add($"id {queueId}");
        if (envelope.Recipients.Count == 1)
        {
            tokens.Add($"for <{envelope.Recipients[0].Address}>");
        }

        // RFC 5322 §3.6.7: received-token list, ";", date-time.
        tokens[^1] += ";";
        tokens.Add(FormatDate(receivedAt));

        var builder = new StringBuilder();
        builder.Append(Fold("Return-Path:", [$"<{envelope.ReversePath}>"]));
        builder.Append(Fold("Received:", tokens));
        return builder.ToString();
    }

    /// <summary>
    /// RFC 3848 / RFC 6531 §3.7.3 "with" protocol: SMTP after HELO, ESMTP after EHLO, UTF8SMTP with SMTPUTF8; an
    /// "S" appended when the message came over TLS.
    /// </summary>
    internal static string Protocol(Envelope envelope) =>
        (!envelope.Esmtp ? "SMTP" : envelope.SmtpUtf8 ? "UTF8SMTP" : "ESMTP") + (envelope.Tls is null ? "" : "S");

    /// <summary>RFC 5322 §3.3 date-time, e.g. "Tue, 24 Nov 2026 20:59:27 +0000".</summary>
    internal static string FormatDate(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return value.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + FormattableString.Invariant($"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    private static string AddressLiteral(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        // RFC 5321 §4.1.3 address literals.
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[IPv6:{address}]" : $"[{address}]";
    }

    // RFC 5322 §2.2.3: fold by putting CRLF before whitespace; continuation lines start with a tab.
    private static string Fold(string name, IReadOnlyList<string> tokens)
    {
        var builder = new StringBuilder(name);
        var lineLength = name.Length;
        var tokensOnLine = 0;
        foreach (var token in tokens)
        {
            // A token longer than a line stays whole: folding may only happen at whitespace.
            if (lineLength + 1 + token.Length > MaxLineLength && tokensOnLine > 0)
            {
                builder.Append("\r\n\t").Append(token);
                lineLength = 1 + token.Length;
                tokensOnLine = 1;
            }
            else
            {
                builder.Append(' ').Append(token);
                lineLength += 1 + token.Length;
                tokensOnLine++;
            }
        }

        return builder.Append("\r\n").ToString();
    }
}
