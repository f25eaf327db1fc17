namespace MailIngest.Testing;

/// <summary>
/// One real host shared by the tests of a class (xunit class fixture): a host start costs seconds, and tests that only
/// talk to a host need not each have their own. A subclass sets the host's configuration.
/// </summary>
public abstract class NodeFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private HostProcess? _host;

    /// <summary>The running host.</summary>
    public HostProcess Host => _host ?? throw new InvalidOperationException("The host has not started");

    /// <summary>Environment variables for the host on top of <see cref="HostProcess"/>'s own.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Starts the host and waits until it is ready.</summary>
    public virtual async Task InitializeAsync() => _host = await HostProcess.StartReadyAsync(_data.Path, Settings);

    /// <summary>Kills the host and removes its data.</summary>
    public virtual async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        _data.Dispose();
    }
}
