using System.Net;

namespace MailIngest.Smtp.Session;

/// <summary>What the transport knows of the peer (after any PROXY header), passed in by the host.</summary>
/// <param name="RemoteAddress">The client's address.</param>
/// <param name="IsTrusted">Whether the address is in the trusted network list (HELP STATUS gets 211).</param>
public sealed record ConnectionInfo(IPAddress RemoteAddress, bool IsTrusted);
