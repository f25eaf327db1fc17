namespace MailIngest.Actors.Transport;

/// <summary>How far reading a PROXY protocol header got.</summary>
public enum ProxyParseStatus
{
    /// <summary>Not enough octets yet.</summary>
    NeedMore,

    /// <summary>Not a valid header: the connection is closed.</summary>
    Invalid,

    /// <summary>A complete header.</summary>
    Done,
}
