namespace MailIngest.Smtp.Parsing;

/// <summary>An esmtp-param of RFC 5321 §4.1.2: keyword, optional value.</summary>
internal readonly record struct EsmtpParameter(string Keyword, string? Value);
