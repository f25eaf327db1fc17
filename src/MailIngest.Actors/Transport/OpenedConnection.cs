using System.IO.Pipelines;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Transport;

/// <summary>A connection ready for the SMTP greeting, as the <see cref="ConnectionOpener"/> hands it to the session.</summary>
/// <param name="Stream">What the session writes to and owns: the socket's stream, or TLS over it.</param>
/// <param name="Input">What the session reads; it may already hold what the client sent after a PROXY header.</param>
/// <param name="Connection">The client (the one a PROXY header named) and whether it is trusted.</param>
/// <param name="Admission">The listener's answer; anything but <see cref="Admission.Accept"/> gets 421 instead of the greeting.</param>
/// <param name="Tls">What an implicit-TLS listener negotiated; null in the clear.</param>
public sealed record OpenedConnection(Stream Stream, PipeReader Input, ConnectionInfo Connection, Admission Admission, TlsDetails? Tls);
