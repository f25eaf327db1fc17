using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>SIGTERM drains: idle sessions get 421 4.3.2, a transaction in flight finishes, the process exits 0.</summary>
public sealed class DrainTests
{
    [Fact]
    public async Task Sigterm_lets_the_transaction_in_flight_finish_and_turns_idle_sessions_away()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Smtp__DrainGraceSeconds"] = "15",
        });
        await using var idle = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        await using var busy = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        await idle.ReadReplyAsync();
        await busy.ReadReplyAsync();
        await idle.SendAsync("EHLO idle.test\r\n");
        await idle.ReadReplyAsync();
        await busy.SendAsync("EHLO busy.test\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<drain@example.com>\r\nDATA\r\n");
        await busy.ReadRepliesAsync(4);
        await busy.SendAsync("Subject: in flight during drain\r\n\r\nfirst half\r\n");

        host.SendTerminate();

        Assert.StartsWith("421 4.3.2", await idle.ReadReplyAsync());
        Assert.True(await idle.IsClosedByServerAsync());
        Assert.Equal(503, await host.ReadyStatusAsync());
        await busy.SendAsync("second half\r\n.\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued as", await busy.ReadReplyAsync());
        Assert.StartsWith("421 4.3.2", await busy.ReadReplyAsync());
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(40)));

        await using var restarted = await HostProcess.StartReadyAsync(data.Path);
        await restarted.SingleBySubjectAsync("drain@example.com", "in flight during drain");
    }
}
