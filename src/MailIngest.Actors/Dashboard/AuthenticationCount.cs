namespace MailIngest.Actors.Dashboard;

/// <summary>How many verdicts of one method ("spf", "dkim", "dmarc", "arc") had one result within the dashboard's window.</summary>
public sealed record AuthenticationCount(string Method, string Result, long Count);
