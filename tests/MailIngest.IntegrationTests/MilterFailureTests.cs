using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>
/// A milter that is down, never answers, closes mid-body or speaks garbage never hangs a session or crashes the node:
/// its DefaultAction decides (Accept: the next milter still runs; TempFail: 451 4.7.1; Reject: 550 5.7.1, at RCPT or at
/// end of data, where it failed), the message records how it failed, and /metrics counts the failure by kind.
/// </summary>
public sealed class MilterFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task With_DefaultAction_Accept_every_kind_of_failure_lets_the_message_through_to_the_next_milter()
    {
        using var data = new TempDirectory();
        await using var hang = await MilterProcess.StartBadMilterAsync(data.Path, "hang");
        await using var closes = await MilterProcess.StartBadMilterAsync(data.Path, "close-mid-body");
        await using var garbage = await MilterProcess.StartBadMilterAsync(data.Path, "garbage");
        await using var hugeFrame = await MilterProcess.StartBadMilterAsync(data.Path, "garbage-frame");
        // The last one is reached over TCP on loopback: the inet: form of the address.
        await using var good = await MilterProcess.StartTestMilterAsync(data.Path, inet: true);
        var settings = new Dictionary<string, string>();
        (string Name, string Address)[] chain =
        [
            ("hang", hang.Address), ("closes", closes.Address), ("garbage", garbage.Address), ("huge-frame", hugeFrame.Address),
            ("down", $"unix:{Path.Combine(data.Path, "nobody-listens.sock")}"), ("good", good.Address),
        ];
        for (var i = 0; i < chain.Length; i++)
        {
            settings[$"MailIngest__Milters__{i}__Name"] = chain[i].Name;
            settings[$"MailIngest__Milters__{i}__Address"] = chain[i].Address;
            settings[$"MailIngest__Milters__{i}__DefaultAction"] = "Accept";
            settings[$"MailIngest__Milters__{i}__CommandTimeoutMilliseconds"] = "1000";
            settings[$"MailIngest__Milters__{i}__ContentTimeoutMilliseconds"] = "1000";
        }

        await using var host = await HostProcess.StartReadyAsync(data.Path, settings);

        await Swaks.SendAcceptedAsync(host.SmtpPort, "through@example.com", "through", body: "failure test", headers: "X-Test-Action: addheader");

        var stored = await host.SingleBySubjectAsync("through@example.com", "[filtered] through");
        var filters = stored.GetProperty("filters").EnumerateArray().ToArray();
        Assert.Equal(chain.Select(milter => milter.Name), filters.Select(filter => filter.GetProperty("name").GetString()));
        Assert.All(filters, filter => Assert.Equal("accept", filter.GetProperty("action").GetString()));
        string Failure(int i) => filters[i].TryGetProperty("failure", out var failure) ? failure.GetString()! : "(none)";
        Assert.StartsWith("timeout", Failure(0));
        Assert.StartsWith("closed", Failure(1));
        Assert.StartsWith("protocol", Failure(2));
        Assert.StartsWith("protocol", Failure(3));
        Assert.StartsWith("connect", Failure(4));
        Assert.False(filters[5].TryGetProperty("failure", out _));
        Assert.Contains("X-Test-Milter: seen", filters[5].GetProperty("headersAdded").EnumerateArray().Select(header => header.GetString()));

        var metrics = PrometheusText.Parse(await host.Admin.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics["mailingest_milter_failures{kind=\"timeout\",milter=\"hang\"}"]);
        Assert.Equal(1, metrics["mailingest_milter_failures{kind=\"closed\",milter=\"closes\"}"]);
        Assert.Equal(1, metrics["mailingest_milter_failures{kind=\"protocol\",milter=\"garbage\"}"]);
        Assert.Equal(1, metrics["mailingest_milter_failures{kind=\"protocol\",milter=\"huge-frame\"}"]);
        Assert.Equal(1, metrics["mailingest_milter_failures{kind=\"connect\",milter=\"down\"}"]);
        await host.WaitForOutputAsync("Milter hang failed for", Patience);
    }

    [Fact]
    public async Task TempFail_and_Reject_refuse_where_the_milter_failed_and_the_session_goes_on()
    {
        using var data = new TempDirectory();
        await using var hang = await MilterProcess.StartBadMilterAsync(data.Path, "hang");
        await using var closes = await MilterProcess.StartBadMilterAsync(data.Path, "close-mid-body");

        // The default action is TempFail: nothing unfiltered gets in, the client retries. A milter that never answers
        // fails at the first RCPT, which gets the 451.
        await using (var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
                     {
                         ["MailIngest__Milters__0__Address"] = hang.Address,
                         ["MailIngest__Milters__0__CommandTimeoutMilliseconds"] = "1000",
                     }))
        {
            Assert.Contains("451 4.7.1 Content filter unavailable", await RefusedThenRsetAsync(host, atRecipient: true));
            Assert.Empty(await host.ListAsync("held@example.com"));
        }

        // One that breaks off in the body fails at end of data, which gets the 550.
        await using (var host = await HostProcess.StartReadyAsync(Path.Combine(data.Path, "second"), new Dictionary<string, string>
                     {
                         ["MailIngest__Milters__0__Address"] = closes.Address,
                         ["MailIngest__Milters__0__DefaultAction"] = "Reject",
                     }))
        {
            Assert.Contains("550 5.7.1 Refused: content filter unavailable", await RefusedThenRsetAsync(host, atRecipient: false));
            Assert.Empty(await host.ListAsync("held@example.com"));
        }
    }

    /// <summary>
    /// One transaction refused at RCPT or at end of data, then RSET and NOOP on the same connection: the session was
    /// not hung by the milter. Refused at RCPT, the client pipelines a second RCPT (the milter has failed by then: it is
    /// answered at once) and DATA, which finds no recipient.
    /// </summary>
    private static async Task<string> RefusedThenRsetAsync(HostProcess host, bool atRecipient)
    {
        await using var client = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        Assert.StartsWith("220", await client.ReadReplyAsync());
        string refusal;
        if (atRecipient)
        {
            await client.SendAsync("EHLO failure.example.org\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<held@example.com>\r\n"
                + "RCPT TO:<held-too@example.com>\r\nDATA\r\n");
            var replies = await client.ReadRepliesAsync(5);
            Assert.Equal(["250", "250", replies[2][..3], replies[2][..3], "503"], replies.Select(reply => reply[..3]));
            refusal = replies[2];
        }
        else
        {
            await client.SendAsync("EHLO failure.example.org\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<held@example.com>\r\nDATA\r\n");
            Assert.Equal(["250", "250", "250", "354"], (await client.ReadRepliesAsync(4)).Select(reply => reply[..3]));
            await client.SendAsync("Subject: held\r\n\r\nbody\r\n.\r\n");
            refusal = await client.ReadReplyAsync();
        }

        await client.SendAsync("RSET\r\nNOOP\r\nQUIT\r\n");
        Assert.Equal(["250", "250", "221"], (await client.ReadRepliesAsync(3)).Select(reply => reply[..3]));
        return refusal;
    }
}
