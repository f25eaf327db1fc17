using MailIngest.Smtp.Parsing;

namespace MailIngest.Smtp.Session;

/// <summary>
/// The commands allowed in each state (RFC 5321 §4.1.4). Anything not listed gets 503 5.5.1 by
/// construction. Unknown verbs are answered 500 before this table is asked.
/// </summary>
internal static class SmtpStateTable
{
    // Allowed everywhere: QUIT even before EHLO; RSET, NOOP, VRFY and HELP do not depend on a transaction.
    private static readonly SmtpVerb[] Anytime =
        [SmtpVerb.Ehlo, SmtpVerb.Helo, SmtpVerb.Rset, SmtpVerb.Noop, SmtpVerb.Vrfy, SmtpVerb.Help, SmtpVerb.Quit];

    private static readonly Dictionary<SessionState, HashSet<SmtpVerb>> Allowed = new()
    {
        [SessionState.Connected] = [.. Anytime],
        // RFC 3207 §4: STARTTLS after EHLO and outside a transaction.
        [SessionState.Greeted] = [.. Anytime, SmtpVerb.Mail, SmtpVerb.StartTls],
        [SessionState.MailGiven] = [.. Anytime, SmtpVerb.Rcpt],
        [SessionState.RecipientGiven] = [.. Anytime, SmtpVerb.Rcpt, SmtpVerb.Data, SmtpVerb.Bdat],
        // RFC 3030 §3: once chunks were sent, DATA is a bad sequence, and so is another RCPT.
        [SessionState.Chunking] = [.. Anytime, SmtpVerb.Bdat],
    };

    /// <summary>True when <paramref name="verb"/> may be issued in <paramref name="state"/>.</summary>
    public static bool IsAllowed(SessionState state, SmtpVerb verb) => Allowed[state].Contains(verb);
}
