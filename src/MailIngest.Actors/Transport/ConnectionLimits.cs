namespace MailIngest.Actors.Transport;

/// <summary>Concurrent connections a node serves; more are answered 421 4.7.0 at connect and closed.</summary>
/// <param name="PerNode">All connections on this node.</param>
/// <param name="PerClient">Connections from one client address; trusted networks are exempt.</param>
public sealed record ConnectionLimits(int PerNode, int PerClient);
