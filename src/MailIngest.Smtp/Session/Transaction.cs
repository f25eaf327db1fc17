namespace MailIngest.Smtp.Session;

/// <summary>The mail transaction being built between MAIL and end of data (RFC 5321 §3.3).</summary>
internal sealed class Transaction(string reversePath, bool smtpUtf8)
{
    private readonly List<MailboxAddress> _recipients = [];
    private readonly HashSet<string> _normalized = new(StringComparer.Ordinal);

    public string ReversePath { get; } = reversePath;

    public bool SmtpUtf8 { get; } = smtpUtf8;

    public int RecipientCount => _recipients.Count;

    /// <summary>Looks the normalized address up without making a string of it (a repeated RCPT is dropped).</summary>
    public bool Contains(ReadOnlySpan<char> normalized) =>
        _normalized.GetAlternateLookup<ReadOnlySpan<char>>().Contains(normalized);

    public void Add(MailboxAddress address)
    {
        if (_normalized.Add(address.Normalized))
        {
            _recipients.Add(address);
        }
    }

    public Envelope ToEnvelope(string clientName, bool esmtp, ConnectionInfo connection, TlsDetails? tls) =>
        new(clientName, esmtp, connection, ReversePath, _recipients.ToArray(), SmtpUtf8, tls);
}
