namespace MailIngest.Smtp.Parsing;

/// <summary>The command verbs this server knows (RFC 5321 §4.1.1, BDAT from RFC 3030, STARTTLS from RFC 3207).</summary>
internal enum SmtpVerb
{
    /// <summary>Anything else: 500 5.5.2.</summary>
    Unknown,
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Help,
    StartTls,
}
