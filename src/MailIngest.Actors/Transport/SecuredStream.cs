using System.Net.Security;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Transport;

/// <summary>A connection after a TLS handshake: the stream to read and write, and what was negotiated.</summary>
public sealed record SecuredStream(SslStream Stream, TlsDetails Details);
