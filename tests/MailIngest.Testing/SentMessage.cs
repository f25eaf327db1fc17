namespace MailIngest.Testing;

/// <summary>One message a load client tried to send, and what happened.</summary>
/// <param name="Subject">Unique subject, also the local part of the Message-ID.</param>
/// <param name="Recipients">RCPT TO addresses.</param>
/// <param name="Port">SMTP port it went to.</param>
/// <param name="Outcome">How the transaction ended.</param>
/// <param name="Reply">The last reply (or the error) the client saw.</param>
/// <param name="Started">When the client started connecting.</param>
/// <param name="Finished">When the outcome was known.</param>
public sealed record SentMessage(
    string Subject,
    IReadOnlyList<string> Recipients,
    int Port,
    SendOutcome Outcome,
    string Reply,
    DateTime Started,
    DateTime Finished);
