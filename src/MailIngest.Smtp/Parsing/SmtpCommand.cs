namespace MailIngest.Smtp.Parsing;

/// <summary>
/// One parsed command line: the verb and the text after it (without the separating space). The argument
/// lives in the caller's decode buffer, so nothing is allocated until a value must outlive the line.
/// </summary>
internal readonly ref struct SmtpCommand(SmtpVerb verb, ReadOnlySpan<char> argument)
{
    public SmtpVerb Verb { get; } = verb;

    public ReadOnlySpan<char> Argument { get; } = argument;
}
