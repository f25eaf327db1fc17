namespace MailIngest.Smtp.Session;

/// <summary>Whether the node has room to store more mail; the host decides (free space of its data volume).</summary>
public interface IStorageSpace
{
    /// <summary>False while the store is too full to take more mail; the session then answers 452 4.3.1.</summary>
    bool HasRoom { get; }
}
