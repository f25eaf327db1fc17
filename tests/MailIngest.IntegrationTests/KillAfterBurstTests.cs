using MailIngest.Testing;
using Xunit.Abstractions;

namespace MailIngest.IntegrationTests;

/// <summary>250 means durable on SQLite: a SIGKILL right after a burst of 250s loses no acknowledged copy.</summary>
public sealed class KillAfterBurstTests(ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public async Task Every_acknowledged_copy_survives_a_kill_during_a_burst_on_sqlite()
    {
        using var data = new TempDirectory();
        var report = await KillAfterBurst.RunAsync("sqlite-kill", () => HostProcess.StartReadyAsync(data.Path), acknowledged: 400);
        output.WriteLine(report.ToString());
        foreach (var problem in report.Problems.Take(20)) output.WriteLine(problem);

        Assert.True(report.Acknowledged >= 400, report.ToString());
        Assert.Empty(report.Problems);
    }
}
