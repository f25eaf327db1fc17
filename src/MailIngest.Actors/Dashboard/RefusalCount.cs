namespace MailIngest.Actors.Dashboard;

/// <summary>How many replies with one 4xx or 5xx code were sent within the dashboard's window.</summary>
public sealed record RefusalCount(int Code, long Count);
