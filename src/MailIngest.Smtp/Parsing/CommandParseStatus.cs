namespace MailIngest.Smtp.Parsing;

/// <summary>Why a command line could not be parsed; every rejection is 500 5.5.2.</summary>
internal enum CommandParseStatus
{
    /// <summary>Parsed.</summary>
    Ok,

    /// <summary>An empty line.</summary>
    Empty,

    /// <summary>NUL, another control character, or non-ASCII where it is not allowed.</summary>
    InvalidCharacters,
}
