using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>Configured limits reach the protocol: size, recipients, accepted domains, errors.</summary>
public sealed class LimitsTests(LimitsNode node) : IClassFixture<LimitsNode>
{
    private HostProcess Host => node.Host;

    private async Task<RawSmtpClient> GreetedAsync()
    {
        var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();
        await client.SendAsync("EHLO client.test\r\n");
        Assert.Contains("SIZE 2048", await client.ReadReplyAsync());
        return client;
    }

    [Fact]
    public async Task Oversized_content_is_read_to_the_end_then_refused_with_552_and_the_session_goes_on()
    {
        await using var client = await GreetedAsync();

        await client.SendAsync("MAIL FROM:<a@example.org>\r\nRCPT TO:<big@example.com>\r\nDATA\r\n");
        await client.ReadRepliesAsync(3);
        await client.SendAsync("Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('x', 70) + "\r\n", 100)) + ".\r\nNOOP\r\n");

        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.ReadReplyAsync());
        Assert.Empty(await Host.ListAsync("big@example.com"));
    }

    [Fact]
    public async Task Declared_size_over_the_limit_is_refused_at_mail_from()
    {
        await using var client = await GreetedAsync();

        await client.SendAsync("MAIL FROM:<a@example.org> SIZE=4096\r\n");

        Assert.StartsWith("552 5.3.4", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Third_recipient_gets_452_and_other_domains_get_550()
    {
        await using var client = await GreetedAsync();

        await client.SendAsync("MAIL FROM:<a@example.org>\r\nRCPT TO:<x@other.net>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\n");
        var replies = await client.ReadRepliesAsync(5);

        Assert.StartsWith("550 5.7.1", replies[1]);
        Assert.StartsWith("250", replies[2]);
        Assert.StartsWith("250", replies[3]);
        Assert.StartsWith("452 4.5.3", replies[4]);
    }

    [Fact]
    public async Task Too_many_errors_end_the_session_with_421()
    {
        await using var client = await GreetedAsync();

        await client.SendAsync("BAD1\r\nBAD2\r\nBAD3\r\nBAD4\r\n");
        var replies = new List<string>();
        while (replies.Count < 4 && !(replies.LastOrDefault()?.StartsWith("421") ?? false)) replies.Add(await client.ReadReplyAsync());

        Assert.StartsWith("421 4.7.0", replies[^1]);
        Assert.InRange(replies.Count, 3, 4);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Command_line_over_1000_octets_gets_500()
    {
        await using var client = await GreetedAsync();

        await client.SendAsync("NOOP " + new string('a', 1200) + "\r\nNOOP\r\n");

        Assert.StartsWith("500 5.5.2", await client.ReadReplyAsync());
        Assert.StartsWith("250", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Silent_client_gets_421_4_4_2_after_the_command_timeout_and_is_disconnected()
    {
        await using var client = await GreetedAsync();

        var reply = await client.ReadReplyAsync();

        Assert.StartsWith("421 4.4.2", reply);
        Assert.True(await client.IsClosedByServerAsync());
    }
}
