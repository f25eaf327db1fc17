using System.Text.Json.Serialization;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>
/// One message of the oracle corpus (an entry of cases.json) and the SMTP envelope to send it with: connect as
/// <see cref="ClientIp"/> (through a PROXY header), EHLO <see cref="Helo"/>, MAIL FROM <see cref="MailFrom"/>,
/// RCPT TO <see cref="Rcpt"/>, DATA the bytes of <see cref="MessageFile"/> (CRLF line endings, in the corpus folder).
/// </summary>
public sealed record OracleCase(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("client_ip")] string ClientIp,
    [property: JsonPropertyName("helo")] string Helo,
    [property: JsonPropertyName("mail_from")] string MailFrom,
    [property: JsonPropertyName("rcpt")] string Rcpt,
    [property: JsonPropertyName("message_file")] string MessageFile,
    [property: JsonPropertyName("note")] string Note);
