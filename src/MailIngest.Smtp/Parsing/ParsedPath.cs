namespace MailIngest.Smtp.Parsing;

/// <summary>A MAIL or RCPT argument: the address without brackets (source route dropped) and the parameters.</summary>
internal sealed record ParsedPath(string Address, IReadOnlyList<EsmtpParameter> Parameters);
