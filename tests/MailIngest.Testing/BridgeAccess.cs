namespace MailIngest.Testing;

/// <summary>A container network a test created: the server also listens on its gateway and trusts its subnet.</summary>
/// <param name="Gateway">The host's address on the network, e.g. 10.89.0.1.</param>
/// <param name="Subnet">The network, e.g. 10.89.0.0/24.</param>
public sealed record BridgeAccess(string Gateway, string Subnet);
