using Akka.Actor;
using MailIngest.Actors.Storage;

namespace MailIngest.Host.Node;

/// <summary>Readies the storage backend (tables, file modes, the journal) before the SMTP listener starts.</summary>
public sealed class StorageStartService(StorageBackend storage, ActorSystem system) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => storage.PrepareAsync(system, cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
