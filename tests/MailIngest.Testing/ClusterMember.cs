namespace MailIngest.Testing;

/// <summary>One member as /status lists it.</summary>
public sealed record ClusterMember(string Address, string Status, bool Reachable);
