using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>One throwaway PostgreSQL server for the whole collection; every scenario gets a database of its own.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The running server.</summary>
    public PostgresServer Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}
