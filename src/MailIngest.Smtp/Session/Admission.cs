namespace MailIngest.Smtp.Session;

/// <summary>What the host decided about a new connection before the greeting.</summary>
public enum Admission
{
    /// <summary>Serve it: 220.</summary>
    Accept,

    /// <summary>The node is draining: 421 4.3.2.</summary>
    Draining,

    /// <summary>The node holds its maximum number of connections: 421 4.7.0.</summary>
    NodeFull,

    /// <summary>The client address holds its maximum number of connections: 421 4.7.0.</summary>
    ClientFull,
}
