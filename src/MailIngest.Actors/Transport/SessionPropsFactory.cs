using Akka.Actor;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Transport;

/// <summary>
/// Props for the actor that serves one accepted connection. Handed to the listener by the host so that the
/// transport never names the session type: sessions depend on the transport, not the other way round.
/// </summary>
/// <param name="stream">The connection; the session owns it from then on.</param>
/// <param name="connection">The peer and whether it is trusted (behind a PROXY-protocol balancer: the balancer).</param>
/// <param name="admission">
/// Null behind a PROXY-protocol balancer: the session's <see cref="ConnectionOpener"/> reads the header first, then
/// asks the listener (<see cref="ListenerProtocol.Admit"/>) whether the client it names may be served.
/// </param>
public delegate Props SessionPropsFactory(Stream stream, ConnectionInfo connection, Admission? admission);
