using Akka.Actor;

namespace MailIngest.Actors.Persistence;

/// <summary>Starts this node's journal and snapshot store on demand (see <see cref="JournalProbeActor"/>).</summary>
public static class JournalProbe
{
    /// <summary>Completes once the journal and the snapshot store have answered a recovery; throws if they fail.</summary>
    public static async Task RecoverAsync(ActorSystem system, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = system.ActorOf(Props.Create(() => new JournalProbeActor(recovered)));
        try
        {
            await recovered.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            probe.Tell(PoisonPill.Instance);
        }
    }
}
