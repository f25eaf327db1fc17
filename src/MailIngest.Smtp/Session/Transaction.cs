namespace MailIngest.Smtp.Session;

/// <summary>The mail transaction being built between MAIL and end of data (RFC 5321 §3.3).</summary>
internal sealed class Transaction(string reversePath, BodyType body, bool smtpUtf8, long? declaredSize)
{
    private readonly List<MailboxAddress> _recipients = [];
    private readonly HashSet<string> _normalized = new(StringComparer.Ordinal);

    public string ReversePath { get; } = reversePath;

    public BodyType Body { get; } = body;

    public bool SmtpUtf8 { get; } = smtpUtf8;

    public long? DeclaredSize { get; } = declaredSize;

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

    public Envelope ToEnvelope(string clientName, bool esmtp, ConnectionInfo connection) =>
        new(clientName, esmtp, connection, ReversePath, _recipients.ToArray(), Body, SmtpUtf8, DeclaredSize);
}
