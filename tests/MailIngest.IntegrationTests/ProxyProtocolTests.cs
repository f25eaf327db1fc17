using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>
/// A listener behind a load balancer that sends the PROXY protocol: this test plays the balancer from a raw socket.
/// The client is the one the header names, for Received:, trust (HELP STATUS) and the per-client limits.
/// </summary>
public sealed class ProxyProtocolTests(ProxyProtocolNode node) : IClassFixture<ProxyProtocolNode>
{
    private HostProcess Host => node.Host;

    private async Task<RawSmtpClient> ConnectAsync(byte[] header)
    {
        var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.SendAsync(header);
        return client;
    }

    [Fact]
    public async Task A_version_1_header_makes_its_address_the_client_in_Received()
    {
        await using var client = await ConnectAsync(ProxyHeaders.Version1("203.0.113.7"));
        Assert.StartsWith("220", await client.ReadReplyAsync());

        await client.SendAsync("EHLO behind.lb\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<proxied@example.com>\r\nDATA\r\n" +
                               "Subject: proxied v1\r\n\r\nhello\r\n.\r\nQUIT\r\n");
        var replies = await client.ReadRepliesAsync(6);

        Assert.StartsWith("250 2.0.0 Ok: queued", replies[4]);
        var item = await Host.SingleBySubjectAsync("proxied@example.com", "proxied v1");
        var raw = await Host.RawAsync("proxied@example.com", item.GetProperty("id").GetString()!);
        Assert.Contains("from behind.lb ([203.0.113.7])", raw);
    }

    [Fact]
    public async Task A_version_2_header_from_a_trusted_network_gets_HELP_STATUS()
    {
        await using var client = await ConnectAsync(ProxyHeaders.Version2(1, 0x11, ProxyHeaders.Tcp4("198.51.100.9")));
        Assert.StartsWith("220", await client.ReadReplyAsync());

        await client.SendAsync("HELP STATUS\r\n");

        Assert.StartsWith("211", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Loopback_is_not_trusted_here_so_without_the_header_naming_a_trusted_client_HELP_STATUS_is_plain_help()
    {
        await using var client = await ConnectAsync(ProxyHeaders.Version1("203.0.113.8"));
        Assert.StartsWith("220", await client.ReadReplyAsync());

        await client.SendAsync("HELP STATUS\r\n");

        Assert.StartsWith("214", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_connection_without_a_valid_header_is_closed_without_a_word()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);

        await client.SendAsync("EHLO no-header.test\r\n");

        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task The_per_client_connection_limit_counts_the_address_in_the_header()
    {
        await using var first = await ConnectAsync(ProxyHeaders.Version1("203.0.113.50"));
        Assert.StartsWith("220", await first.ReadReplyAsync());

        await using var second = await ConnectAsync(ProxyHeaders.Version1("203.0.113.50"));
        await using var other = await ConnectAsync(ProxyHeaders.Version1("203.0.113.51"));

        Assert.StartsWith("421 4.7.0", await second.ReadReplyAsync());
        Assert.StartsWith("220", await other.ReadReplyAsync());
    }

    [Fact]
    public async Task A_LOCAL_header_from_the_balancer_itself_is_served_as_the_socket_peer()
    {
        await using var client = await ConnectAsync(ProxyHeaders.Version2(0, 0x00, []));

        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.SendAsync("EHLO lb.local\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<local-header@example.com>\r\nDATA\r\n" +
                               "Subject: local header\r\n\r\nhello\r\n.\r\n");
        Assert.StartsWith("250 2.0.0 Ok: queued", (await client.ReadRepliesAsync(5))[4]);

        var item = await Host.SingleBySubjectAsync("local-header@example.com", "local header");
        var raw = await Host.RawAsync("local-header@example.com", item.GetProperty("id").GetString()!);
        Assert.Contains("from lb.local ([127.0.0.1])", raw);
    }
}
