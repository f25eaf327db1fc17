namespace MailIngest.Smtp.Replies;

/// <summary>
/// Every reply the server sends: basic code (RFC 5321 §4.2), enhanced code (RFC 3463) and generic text.
/// Texts never reveal configuration or internal reasons. Replies that name the host take it as argument.
/// </summary>
public static class SmtpReplies
{
    /// <summary>The commands listed by HELP and in the 214 reply.</summary>
    public const string SupportedCommands = "EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP";

    // 2xx

    /// <summary>RSET and similar: 250 2.0.0 Ok.</summary>
    public static readonly SmtpReply Ok = new(250, "2.0.0", "Ok");

    /// <summary>MAIL accepted (RFC 3463 X.1.0: other address status).</summary>
    public static readonly SmtpReply SenderOk = new(250, "2.1.0", "Ok");

    /// <summary>RCPT accepted (RFC 3463 X.1.5: destination address valid).</summary>
    public static readonly SmtpReply RecipientOk = new(250, "2.1.5", "Ok");

    /// <summary>VRFY: the server does not verify but will accept (RFC 5321 §3.5.3).</summary>
    public static readonly SmtpReply CannotVerify =
        new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");

    /// <summary>HELP.</summary>
    public static readonly SmtpReply Help = new(214, "2.0.0", $"Supported commands: {SupportedCommands}");

    /// <summary>DATA accepted. RFC 2034 §3: no enhanced code on 354 (it is not a completion reply).</summary>
    public static readonly SmtpReply StartMailInput = new(354, null, "Start mail input; end with <CRLF>.<CRLF>");

    // 4xx

    /// <summary>Delivery was not confirmed; the client retries later. The reason stays internal.</summary>
    public static readonly SmtpReply LocalError =
        new(451, "4.3.0", "Requested action aborted: local error in processing");

    /// <summary>The client address started too many transactions lately; it may try again later.</summary>
    public static readonly SmtpReply RateLimited = new(450, "4.7.1", "Too many messages from your address, try again later");

    /// <summary>
    /// The node is low on storage (RFC 5321 §4.2.3 452, RFC 3463 X.3.1): at RCPT, or at the end of data when space ran
    /// out during the transaction. Transient: the client keeps the message and retries, as with Postfix's queue_minfree.
    /// </summary>
    public static readonly SmtpReply InsufficientStorage = new(452, "4.3.1", "Insufficient system storage");

    /// <summary>
    /// The recipient's mailbox is over its quota (RFC 3463 X.2.2, mailbox full), with 452 so that the client keeps the
    /// message for this recipient and retries later; the transaction's other recipients are not affected.
    /// </summary>
    public static readonly SmtpReply MailboxFull = new(452, "4.2.2", "Mailbox full, try again later");

    /// <summary>RFC 5321 §4.5.3.1.8 and RFC 3463 X.5.3.</summary>
    public static readonly SmtpReply TooManyRecipients = new(452, "4.5.3", "Too many recipients");

    // 5xx

    /// <summary>Unknown verb, empty line, NUL or non-ASCII in a command.</summary>
    public static readonly SmtpReply SyntaxError = new(500, "5.5.2", "Syntax error, command unrecognized");

    /// <summary>A command line longer than <see cref="SmtpOptions.MaxCommandLineBytes"/>.</summary>
    public static readonly SmtpReply LineTooLong = new(500, "5.5.2", "Line too long");

    /// <summary>A command line ended by LF alone (RFC 5321 §2.3.8 requires CRLF).</summary>
    public static readonly SmtpReply BareLineFeedInCommand = new(500, "5.5.2", "Line must end with CRLF");

    /// <summary>A known command with missing or malformed arguments.</summary>
    public static readonly SmtpReply ArgumentSyntaxError = new(501, "5.5.4", "Syntax error in parameters or arguments");

    /// <summary>MAIL with an unknown or malformed parameter.</summary>
    public static readonly SmtpReply BadParameter = new(501, "5.5.4", "Unrecognized or malformed parameter");

    /// <summary>STARTTLS when no certificate is configured: the command is not offered (RFC 5321 §4.2.4).</summary>
    public static readonly SmtpReply TlsNotAvailable = new(502, "5.5.1", "STARTTLS not available");

    /// <summary>MAIL before STARTTLS when TLS is required (RFC 3207 §4).</summary>
    public static readonly SmtpReply TlsRequired = new(530, "5.7.0", "Must issue a STARTTLS command first");

    /// <summary>BDAT whose size cannot be read: the chunk's end is unknown, so the connection closes (RFC 3030 §3).</summary>
    public static readonly SmtpReply BdatSyntaxError = new(501, "5.5.4", "Syntax: BDAT chunk-size [LAST]; closing connection");

    /// <summary>EHLO or HELO without a domain.</summary>
    public static readonly SmtpReply DomainRequired = new(501, "5.5.4", "Syntax: EHLO domain");

    /// <summary>MAIL with a reverse-path that is not a mailbox (RFC 3463 X.1.7).</summary>
    public static readonly SmtpReply BadSenderAddress = new(501, "5.1.7", "Bad sender address syntax");

    /// <summary>RCPT with a forward-path that is not a mailbox (RFC 3463 X.1.3).</summary>
    public static readonly SmtpReply BadRecipientAddress = new(501, "5.1.3", "Bad recipient address syntax");

    /// <summary>A command not allowed in the current state (RFC 5321 §4.1.4).</summary>
    public static readonly SmtpReply BadSequence = new(503, "5.5.1", "Bad sequence of commands");

    /// <summary>The recipient's domain is not one this server accepts mail for.</summary>
    public static readonly SmtpReply RelayDenied = new(550, "5.7.1", "Relay access denied");

    /// <summary>A bare LF in DATA (SMTP smuggling defence, CVE-2023-51764).</summary>
    public static readonly SmtpReply BareLineFeedInData = new(550, "5.5.2", "Bare LF not allowed in message content");

    /// <summary>Declared or actual size over the limit (RFC 1870 §6, RFC 3463 X.3.4).</summary>
    public static readonly SmtpReply MessageTooLarge = new(552, "5.3.4", "Message size exceeds fixed maximum message size");

    /// <summary>A non-ASCII address without SMTPUTF8 (RFC 6531 §3.5, RFC 6531 X.6.7).</summary>
    public static readonly SmtpReply NonAsciiAddress = new(553, "5.6.7", "Non-ASCII addresses require SMTPUTF8");

    /// <summary>The 220 greeting (RFC 2034: no enhanced code).</summary>
    public static SmtpReply Greeting(string host, string version) => new(220, null, $"{host} ESMTP MailIngest {version}");

    /// <summary>HELO reply (no enhanced code).</summary>
    public static SmtpReply HeloOk(string host, string clientName) => new(250, null, $"{host} Hello {clientName}");

    /// <summary>EHLO reply: greeting line, then one line per extension offered (no enhanced code, RFC 2034 §3).</summary>
    public static SmtpReply EhloOk(string host, string clientName, long maxMessageBytes, bool offerStartTls) =>
        new(250, null,
        [
            $"{host} Hello {clientName}",
            "PIPELINING",
            FormattableString.Invariant($"SIZE {maxMessageBytes}"),
            "8BITMIME",
            "CHUNKING",
            .. offerStartTls ? new[] { "STARTTLS" } : [],
            "SMTPUTF8",
            "ENHANCEDSTATUSCODES",
            "HELP",
        ]);

    /// <summary>HELP STATUS for trusted peers: RFC 5321 §4.2.2 system status.</summary>
    public static SmtpReply SystemStatus(IReadOnlyList<string> lines) =>
        new(211, "2.0.0", lines.Count == 0 ? ["Ok"] : lines);

    /// <summary>STARTTLS accepted (RFC 3207 §4).</summary>
    public static readonly SmtpReply ReadyForTls = new(220, "2.0.0", "Ready to start TLS");

    /// <summary>A BDAT chunk other than the last was received (RFC 3030 §4.2).</summary>
    public static SmtpReply ChunkReceived(long octets) => new(250, "2.0.0", FormattableString.Invariant($"{octets} octets received"));

    /// <summary>Message stored for every recipient.</summary>
    public static SmtpReply Queued(string queueId) => new(250, "2.0.0", $"Ok: queued as {queueId}");

    /// <summary>QUIT.</summary>
    public static SmtpReply Closing(string host) => new(221, "2.0.0", $"{host} closing connection");

    /// <summary>Not accepting connections, or draining.</summary>
    public static SmtpReply ShuttingDown(string host) => new(421, "4.3.2", $"{host} Service shutting down");

    /// <summary>The peer was idle for too long (RFC 3463 X.4.2).</summary>
    public static SmtpReply Timeout(string host) => new(421, "4.4.2", $"{host} Timeout, closing connection");

    /// <summary>The node holds its maximum number of connections (answered instead of the greeting).</summary>
    public static SmtpReply TooManyConnections(string host) =>
        new(421, "4.7.0", $"{host} Too many connections, try again later");

    /// <summary>The client address holds its maximum number of connections (answered instead of the greeting).</summary>
    public static SmtpReply TooManyConnectionsFromClient(string host) =>
        new(421, "4.7.0", $"{host} Too many connections from your address, try again later");

    /// <summary>Too many commands without a mail transaction (a client probing or idling with NOOP).</summary>
    public static SmtpReply TooManyCommands(string host) =>
        new(421, "4.7.0", $"{host} Too many commands without a mail transaction, closing connection");

    /// <summary>The session lasted its maximum time (slow clients are cut off whatever they send).</summary>
    public static SmtpReply SessionTooLong(string host) =>
        new(421, "4.4.2", $"{host} Session time limit reached, closing connection");

    /// <summary>The error limit was reached.</summary>
    public static SmtpReply TooManyErrors(string host) => new(421, "4.7.0", $"{host} Too many errors, closing connection");
}
