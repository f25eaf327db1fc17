using MailIngest.Smtp.Milter;

namespace MailIngest.Actors.Filters;

/// <summary>One milter of the MailIngest:Milters list, as the node uses it.</summary>
/// <param name="Name">Names it in logs, metrics and every message's "filters".</param>
/// <param name="Address">Where it listens.</param>
/// <param name="DefaultAction">What a message gets when the milter is down, slow or broken.</param>
/// <param name="ConnectTimeout">Longest wait for the connection.</param>
/// <param name="CommandTimeout">Longest wait for an answer to a command (connect, HELO, MAIL, RCPT, headers).</param>
/// <param name="ContentTimeout">Longest wait for an answer to a body chunk or the end of the message.</param>
public sealed record MilterOptions(
    string Name,
    MilterAddress Address,
    MilterFailurePolicy DefaultAction,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout,
    TimeSpan ContentTimeout);
