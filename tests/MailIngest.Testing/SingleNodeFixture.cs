namespace MailIngest.Testing;

/// <summary>One real host with default limits, shared by the tests of a class.</summary>
public sealed class SingleNodeFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    /// <summary>The running host.</summary>
    public HostProcess Host { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Host = await HostProcess.StartReadyAsync(_data.Path);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _data.Dispose();
    }
}
