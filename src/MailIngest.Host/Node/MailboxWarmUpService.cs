using Akka.Actor;
using Akka.Hosting;
using MailIngest.Actors.Mailboxes;

namespace MailIngest.Host.Node;

/// <summary>
/// Asks one mailbox through the shard region until it answers: shard allocation, entity start and journal
/// recovery all work. Until then /readyz is 503, so a load balancer does not send the first clients to a node
/// whose first deliveries would outlast the delivery timeout and get 451.
/// </summary>
public sealed class MailboxWarmUpService(
    IRequiredActor<MailboxRegion> mailboxRegion,
    NodeState state,
    ILogger<MailboxWarmUpService> log) : BackgroundService
{
    // Reserved name (RFC 2606 .invalid): no client can deliver to it, so the probe never shows real mail.
    private const string ProbeMailbox = "warm-up@mailingest.invalid";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var region = await mailboxRegion.GetAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await region.Ask<MessageList>(new ListMessages(ProbeMailbox, 0, 1), AskTimeout, stoppingToken);
                state.MailboxesAnswer();
                log.LogInformation("Mailbox shards answer; the node is ready for mail");
                return;
            }
            catch (AskTimeoutException)
            {
                log.LogInformation("Mailbox shards do not answer yet (cluster forming or journal unavailable); retrying");
            }
        }
    }
}
