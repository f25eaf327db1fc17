namespace MailIngest.Smtp.Session;

/// <summary>Builds the trace fields a receiving server prepends (RFC 5321 §4.4).</summary>
public static class TraceHeaders
{
    /// <summary>
    /// "Return-Path: &lt;reverse-path&gt;\r\nReceived: from ... by ... with ESMTP id ...; date\r\n", with a
    /// "for &lt;addr&gt;" clause only when there is exactly one recipient. Header lines are folded under 78 octets.
    /// </summary>
    public static string Build(Envelope envelope, string queueId, DateTimeOffset receivedAt, SmtpOptions options)
        => throw new NotImplementedException();
}
