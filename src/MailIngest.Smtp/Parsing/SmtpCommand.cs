namespace MailIngest.Smtp.Parsing;

/// <summary>One parsed command line: the verb and the text after it (without the separating space).</summary>
internal sealed record SmtpCommand(SmtpVerb Verb, string Argument);
