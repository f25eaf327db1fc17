namespace MailIngest.Actors.Hosting;

/// <summary>
/// The settings that decide how long a crashed node's mailboxes stay unserved: failure detection, the split-brain
/// resolver's wait for stable membership, and the margin before shards and the coordinator restart elsewhere.
/// </summary>
/// <param name="HeartbeatInterval">Heartbeat period of the failure detector.</param>
/// <param name="AcceptableHeartbeatPause">Heartbeat silence tolerated before a node is unreachable.</param>
/// <param name="StableAfter">Unchanged membership the split-brain resolver waits for before it downs.</param>
/// <param name="DownRemovalMargin">Wait after removal before shards and singletons of the removed node start elsewhere.</param>
public sealed record FailoverTiming(
    TimeSpan HeartbeatInterval,
    TimeSpan AcceptableHeartbeatPause,
    TimeSpan StableAfter,
    TimeSpan DownRemovalMargin);
