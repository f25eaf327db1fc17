namespace MailIngest.Testing;

/// <summary>One backend server as HAProxy's <c>show stat</c> reports it.</summary>
/// <param name="Name">The server's name in the configuration.</param>
/// <param name="Status">UP, DOWN, or a transition such as "UP 1/2" (one failed check of the two that mark it down).</param>
/// <param name="TotalSessions">Connections HAProxy has sent to it so far (<c>stot</c>).</param>
/// <param name="CheckStatus">The last health check's result (L7OK, L7STS, L4CON...).</param>
public sealed record HaproxyServer(string Name, string Status, long TotalSessions, string CheckStatus);
