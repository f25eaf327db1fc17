namespace MailIngest.Smtp.Session;

/// <summary>Where the session is in the RFC 5321 §4.1.4 command sequence.</summary>
internal enum SessionState
{
    /// <summary>Greeting sent, no EHLO/HELO yet.</summary>
    Connected,

    /// <summary>EHLO/HELO accepted, no transaction.</summary>
    Greeted,

    /// <summary>MAIL accepted, no recipient yet.</summary>
    MailGiven,

    /// <summary>At least one RCPT accepted.</summary>
    RecipientGiven,

    /// <summary>BDAT chunks received, the last one not yet (RFC 3030): only BDAT continues the message.</summary>
    Chunking,
}
