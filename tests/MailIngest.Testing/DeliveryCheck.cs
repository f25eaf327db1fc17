namespace MailIngest.Testing;

/// <summary>Reads every recipient mailbox of a load run through one node and compares with what the clients saw.</summary>
public static class DeliveryCheck
{
    private static readonly TimeSpan MailboxTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Every acknowledged message must be in each of its recipients' mailboxes exactly once; no message may be in a
    /// mailbox twice or in a mailbox it was not addressed to. Unacknowledged ones may be there once or not at all.
    /// </summary>
    public static async Task<DeliveryReport> VerifyAsync(HostProcess reader, IReadOnlyList<SentMessage> sent)
    {
        var bySubject = sent.ToDictionary(message => message.Subject);
        var problems = new List<string>();
        var found = new Dictionary<string, int>();
        foreach (var mailbox in sent.SelectMany(message => message.Recipients).Distinct())
        {
            var subjects = (await reader.ListAllAsync(mailbox, MailboxTimeout))
                .Select(item => item.GetProperty("subject").GetString() ?? "")
                .ToArray();
            foreach (var group in subjects.GroupBy(subject => subject))
            {
                if (!bySubject.TryGetValue(group.Key, out var message) || !message.Recipients.Contains(mailbox))
                    problems.Add($"{mailbox} holds '{group.Key}', which was not sent to it");
                else if (group.Count() > 1)
                    problems.Add($"{mailbox} holds '{group.Key}' {group.Count()} times ({message.Outcome})");
                else
                    found[group.Key] = found.GetValueOrDefault(group.Key) + 1;
            }
        }

        var acknowledged = sent.Where(message => message.Outcome == SendOutcome.Acknowledged).ToArray();
        foreach (var message in acknowledged.Where(message => found.GetValueOrDefault(message.Subject) != message.Recipients.Count))
            problems.Add($"acknowledged '{message.Subject}' ({message.Reply}) is in {found.GetValueOrDefault(message.Subject)} of {message.Recipients.Count} mailboxes");
        return new DeliveryReport(
            sent.Count,
            acknowledged.Length,
            acknowledged.Count(message => found.GetValueOrDefault(message.Subject) == message.Recipients.Count),
            sent.Count(message => message.Outcome != SendOutcome.Acknowledged && found.ContainsKey(message.Subject)),
            SmtpLoad.Summary(sent),
            problems);
    }
}
