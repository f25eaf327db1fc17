namespace MailIngest.ClusterTests;

/// <summary>
/// One test at a time of all the classes deriving from this, whichever collection they are in. The saturation
/// scenario burns every core on purpose; a cluster of another scenario starved beside it can rightly be downed by its
/// failure detector, which fails that test without saying anything about the product. So the saturation scenario
/// and the scenarios of <see cref="ClusterCollection"/> take turns, while the chaos and database scenarios, which
/// tolerate a slow machine, run beside them.
/// </summary>
public abstract class CpuExclusive : IAsyncLifetime
{
    private static readonly SemaphoreSlim Turn = new(1, 1);

    /// <inheritdoc />
    public Task InitializeAsync() => Turn.WaitAsync();

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Turn.Release();
        return Task.CompletedTask;
    }
}
