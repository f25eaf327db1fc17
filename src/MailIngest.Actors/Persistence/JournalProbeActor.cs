using Akka.Actor;
using Akka.Persistence;

namespace MailIngest.Actors.Persistence;

/// <summary>
/// Recovers an empty persistence id and stops: starting this node's journal and snapshot store runs their
/// table creation (auto-initialize) now, at a moment the caller chooses (under the schema lock), instead of
/// at the first mailbox that happens to start on this node.
/// </summary>
public sealed class JournalProbeActor : ReceivePersistentActor
{
    private readonly TaskCompletionSource _recovered;

    /// <summary>Use <see cref="JournalProbe.RecoverAsync"/>; public because Akka creates actors by reflection.</summary>
    public JournalProbeActor(TaskCompletionSource recovered)
    {
        _recovered = recovered;
        Recover<RecoveryCompleted>(_ =>
        {
            _recovered.TrySetResult();
            Context.Stop(Self);
        });
    }

    /// <inheritdoc />
    /// <remarks>Never written to, so every node may recover it at once.</remarks>
    public override string PersistenceId => "journal-probe";

    /// <inheritdoc />
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _recovered.TrySetException(reason);
        base.OnRecoveryFailure(reason, message);
    }
}
