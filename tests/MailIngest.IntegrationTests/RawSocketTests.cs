using System.Text;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>Byte-exact dialogues over a plain socket: pipelining, split reads, smuggling attempts.</summary>
public sealed class RawSocketTests(SingleNodeFixture node) : IClassFixture<SingleNodeFixture>
{
    private HostProcess Host => node.Host;

    private static string Transaction(string rcpt, string subject, string body = "body line\r\n") =>
        "EHLO client.test\r\nMAIL FROM:<raw@example.org>\r\n" + $"RCPT TO:<{rcpt}>\r\nDATA\r\n" +
        $"Subject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@test>\r\n\r\n{body}.\r\n";

    [Fact]
    public async Task Greeting_names_host_and_software_and_quit_closes_the_connection()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);

        Assert.StartsWith("220 mx.test ESMTP MailIngest ", await client.ReadReplyAsync());
        await client.SendAsync("QUIT\r\n");
        Assert.StartsWith("221 2.0.0", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Pipelined_transaction_in_one_write_is_answered_in_order()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync(Transaction("pipe@example.com", "pipelined") + "QUIT\r\n");
        var replies = await client.ReadRepliesAsync(6);

        Assert.StartsWith("250-mx.test", replies[0]);
        Assert.Contains("PIPELINING", replies[0]);
        Assert.StartsWith("250 2.1.0", replies[1]);
        Assert.StartsWith("250 2.1.5", replies[2]);
        Assert.StartsWith("354 ", replies[3]);
        Assert.StartsWith("250 2.0.0 Ok: queued as ", replies[4]);
        Assert.StartsWith("221 2.0.0", replies[5]);
        Assert.True(await client.IsClosedByServerAsync());
        await Host.SingleBySubjectAsync("pipe@example.com", "pipelined");
    }

    [Fact]
    public async Task Dialogue_sent_one_byte_per_write_works_the_same()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        foreach (var b in Encoding.ASCII.GetBytes(Transaction("split@example.com", "split reads", "a\r\n..dot\r\n")))
            await client.SendAsync([b]);
        var replies = await client.ReadRepliesAsync(5);

        Assert.StartsWith("250 2.0.0 Ok: queued as ", replies[4]);
        var item = await Host.SingleBySubjectAsync("split@example.com", "split reads");
        var raw = await Host.RawAsync("split@example.com", item.GetProperty("id").GetString()!);
        Assert.EndsWith("\r\n\r\na\r\n.dot\r\n", raw);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\n.\r\n")]
    public async Task Smuggled_end_of_data_with_bare_lf_is_rejected_and_nothing_is_stored(string fakeEnd)
    {
        var victim = $"victim{Math.Abs(fakeEnd.GetHashCode())}@example.com";
        var smuggled = $"smuggled{Math.Abs(fakeEnd.GetHashCode())}@example.com";
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync(
            "EHLO client.test\r\nMAIL FROM:<a@example.org>\r\n" + $"RCPT TO:<{victim}>\r\nDATA\r\n" +
            "Subject: outer\r\n\r\nouter body" + fakeEnd +
            $"MAIL FROM:<evil@example.org>\r\nRCPT TO:<{smuggled}>\r\nDATA\r\nSubject: smuggled\r\n\r\nevil\r\n.\r\n");
        var replies = await client.ReadRepliesAsync(5);

        Assert.StartsWith("550 5.5.2", replies[4]);
        Assert.Empty(await Host.ListAsync(victim));
        Assert.Empty(await Host.ListAsync(smuggled));
    }

    [Fact]
    public async Task Bare_cr_dot_cr_does_not_end_the_message()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync(Transaction("crdot@example.com", "cr dot", "before\r.\rafter\r\n"));
        var replies = await client.ReadRepliesAsync(5);

        Assert.StartsWith("250 2.0.0", replies[4]);
        var item = await Host.SingleBySubjectAsync("crdot@example.com", "cr dot");
        Assert.Contains("before\r.\rafter\r\n", await Host.RawAsync("crdot@example.com", item.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Help_status_from_a_trusted_loopback_client_is_211_with_node_status()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO client.test\r\nHELP STATUS\r\n");
        var replies = await client.ReadRepliesAsync(2);

        Assert.StartsWith("211", replies[1]);
        Assert.Contains("Cluster members up: 1", replies[1]);
        Assert.Contains("Active sessions:", replies[1]);
    }

    [Fact]
    public async Task Command_out_of_sequence_and_unknown_command_get_their_codes()
    {
        await using var client = await RawSmtpClient.ConnectAsync(Host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO client.test\r\nRCPT TO:<x@example.com>\r\nFOO\r\nDATA\r\n");
        var replies = await client.ReadRepliesAsync(4);

        Assert.StartsWith("503 5.5.1", replies[1]);
        Assert.StartsWith("500 5.5.2", replies[2]);
        Assert.StartsWith("503 5.5.1", replies[3]);
    }
}
