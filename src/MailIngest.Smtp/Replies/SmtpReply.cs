namespace MailIngest.Smtp.Replies;

/// <summary>A reply: basic code, optional enhanced status code (RFC 3463) and one or more text lines.</summary>
public sealed record SmtpReply(int Code, string? EnhancedCode, IReadOnlyList<string> Lines)
{
    /// <summary>The reply on the wire: "250-first\r\n250 last\r\n", enhanced code before each line's text.</summary>
    public byte[] ToWire() => throw new NotImplementedException();
}
