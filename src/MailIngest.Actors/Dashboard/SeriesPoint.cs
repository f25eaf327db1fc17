namespace MailIngest.Actors.Dashboard;

/// <summary>One point of the dashboard's chart.</summary>
/// <param name="At">End of the interval, Unix milliseconds.</param>
/// <param name="MessagesPerSecond">Messages accepted per second during the interval that ends here.</param>
/// <param name="SessionsOpen">SMTP sessions open at that moment.</param>
public sealed record SeriesPoint(long At, double MessagesPerSecond, long SessionsOpen);
