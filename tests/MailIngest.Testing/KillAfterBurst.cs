namespace MailIngest.Testing;

/// <summary>
/// The durability rule end to end: a node is killed (SIGKILL) while 250s are still arriving, started again on the
/// same storage, and every acknowledged copy must be there exactly once.
/// </summary>
public static class KillAfterBurst
{
    private static readonly TimeSpan BurstTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Sends from <paramref name="clients"/> clients without pause until <paramref name="acknowledged"/> messages
    /// were answered 250, kills the node at once (transactions still in flight), restarts it with
    /// <paramref name="startNode"/> and reads every recipient mailbox through the new process.
    /// </summary>
    public static async Task<DeliveryReport> RunAsync(string runId, Func<Task<HostProcess>> startNode, int acknowledged, int clients = 8)
    {
        IReadOnlyList<SentMessage> sent;
        await using (var node = await startNode())
        {
            var load = SmtpLoad.Start(runId, clients, () => [node.SmtpPort], SmtpLoad.Recipients(runId, 20), TimeSpan.Zero);
            try
            {
                await load.WaitForAcknowledgedAsync(acknowledged, BurstTimeout);
                await node.KillAsync();
            }
            finally
            {
                sent = await load.StopAsync();
            }
        }

        await using var restarted = await startNode();
        return await DeliveryCheck.VerifyAsync(restarted, sent);
    }
}
