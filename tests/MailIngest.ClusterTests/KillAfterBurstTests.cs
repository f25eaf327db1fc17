using MailIngest.Testing;

namespace MailIngest.ClusterTests;

/// <summary>250 means durable on PostgreSQL: a SIGKILL right after a burst of 250s loses no acknowledged copy.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KillAfterBurstTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public async Task Every_acknowledged_copy_survives_a_kill_during_a_burst_on_postgresql()
    {
        using var data = new TempDirectory();
        var settings = new Dictionary<string, string>
        {
            ["MailIngest__Storage__Provider"] = "PostgreSql",
            ["MailIngest__Storage__ConnectionString"] = await postgres.Server.CreateDatabaseAsync("kill"),
        };
        var report = await KillAfterBurst.RunAsync("pg-kill", () => HostProcess.StartReadyAsync(data.Path, settings), acknowledged: 400);
        output.WriteLine(report.ToString());
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);

        Assert.True(report.Acknowledged >= 400, report.ToString());
        Assert.Empty(report.Problems);
    }
}
