using System.Net;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>
/// Per-client limits on the real host. Loopback is made untrusted here (trusted networks are exempt), and each test
/// connects from a 127.x address of its own, so the limits of one test do not touch another.
/// </summary>
public sealed class ClientLimitsTests(ClientLimitsNode node) : IClassFixture<ClientLimitsNode>
{
    private HostProcess Host => node.Host;

    [Fact]
    public async Task Connections_beyond_the_per_client_limit_get_421_4_7_0_and_a_closed_one_frees_its_slot()
    {
        var client = IPAddress.Parse("127.0.0.11");
        var open = new List<RawSmtpClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                open.Add(await RawSmtpClient.ConnectAsync(Host.SmtpPort, client));
                Assert.StartsWith("220", await open[^1].ReadReplyAsync());
            }

            await using (var fourth = await RawSmtpClient.ConnectAsync(Host.SmtpPort, client))
            {
                Assert.StartsWith("421 4.7.0", await fourth.ReadReplyAsync());
                Assert.True(await fourth.IsClosedByServerAsync());
            }

            await using (var otherClient = await RawSmtpClient.ConnectAsync(Host.SmtpPort, IPAddress.Parse("127.0.0.12")))
                Assert.StartsWith("220", await otherClient.ReadReplyAsync());

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            Assert.StartsWith("220", await GreetingWithinAsync(client, TimeSpan.FromSeconds(30)));
        }
        finally
        {
            foreach (var connection in open) await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task Transactions_beyond_the_per_client_rate_get_450_4_7_1()
    {
        await using var session = await RawSmtpClient.ConnectAsync(Host.SmtpPort, IPAddress.Parse("127.0.0.13"));
        await session.ReadReplyAsync();
        await session.SendAsync("EHLO rate.test\r\n");
        await session.ReadReplyAsync();
        var replies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await session.SendAsync("MAIL FROM:<a@example.org>\r\nRSET\r\n");
            replies.Add((await session.ReadRepliesAsync(2))[0]);
        }

        Assert.Equal(["250", "250", "250", "250", "450"], replies.Select(reply => reply[..3]));
        Assert.StartsWith("450 4.7.1", replies[^1]);
    }

    [Fact]
    public async Task A_client_that_trickles_a_byte_at_a_time_is_cut_off_at_the_session_time_limit()
    {
        await using var session = await RawSmtpClient.ConnectAsync(Host.SmtpPort, IPAddress.Parse("127.0.0.14"));
        Assert.StartsWith("220", await session.ReadReplyAsync());
        using var stop = new CancellationTokenSource();
        // Slow-loris: never silent long enough for the idle timeout, never finishing a command.
        var trickle = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await session.SendAsync("x");
                    await Task.Delay(200, stop.Token);
                }
            }
            catch (Exception error) when (error is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server closed the connection, or the test is over.
            }
        });

        var reply = await session.ReadReplyAsync();
        await stop.CancelAsync();
        await trickle;

        Assert.StartsWith("421 4.4.2", reply);
        Assert.Contains("Session time limit", reply);
    }

    [Fact]
    public async Task Commands_without_a_transaction_beyond_the_limit_get_421_4_7_0()
    {
        await using var session = await RawSmtpClient.ConnectAsync(Host.SmtpPort, IPAddress.Parse("127.0.0.15"));
        await session.ReadReplyAsync();

        await session.SendAsync("EHLO probe.test\r\nNOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n");
        var replies = await session.ReadRepliesAsync(6);

        Assert.Equal(["250", "250", "250", "250", "250", "421"], replies.Select(reply => reply[..3]));
        Assert.True(await session.IsClosedByServerAsync());
    }

    [Fact]
    public async Task The_node_wide_limit_refuses_connections_from_trusted_clients_too()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Smtp__MaxConnections"] = "2",
        });
        await using var first = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        await using var second = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        Assert.StartsWith("220", await first.ReadReplyAsync());
        Assert.StartsWith("220", await second.ReadReplyAsync());

        await using var third = await RawSmtpClient.ConnectAsync(host.SmtpPort);

        var reply = await third.ReadReplyAsync();
        Assert.StartsWith("421 4.7.0", reply);
        Assert.Contains("Too many connections, try again later", reply);
    }

    /// <summary>Connects from <paramref name="client"/> until the server greets with 220 (a freed slot is counted once the server saw the close).</summary>
    private async Task<string> GreetingWithinAsync(IPAddress client, TimeSpan timeout) =>
        await Eventually.ValueAsync($"a 220 greeting for {client}", async () =>
        {
            await using var attempt = await RawSmtpClient.ConnectAsync(Host.SmtpPort, client);
            return await attempt.ReadReplyAsync();
        }, greeting => greeting.StartsWith("220", StringComparison.Ordinal), timeout, greeting => $"last: {greeting}");
}
