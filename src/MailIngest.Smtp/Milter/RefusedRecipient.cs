using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Milter;

/// <summary>A recipient a milter refused at RCPT, and the reply it gave.</summary>
public sealed record RefusedRecipient(string Address, SmtpReply Reply);
