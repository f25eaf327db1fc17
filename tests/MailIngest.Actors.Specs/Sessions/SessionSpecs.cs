using Akka.Actor;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Sessions;

/// <summary>The session actor over a real socket with a writable journal: delivery, pipelining, disconnects.</summary>
public sealed class SessionSpecs : SessionSpec
{
    /// <summary>Creates the spec on fresh SQLite files.</summary>
    public SessionSpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private SessionSpecs(SpecDatabase database, ITestOutputHelper output)
        : base(database, database.JournalConnectionString, output)
    {
    }

    [Fact]
    public async Task Session_answers_250_only_after_every_mailbox_stored_its_copy()
    {
        // Arrange
        var (_, client) = await StartSessionAsync();
        await using var _ = client;
        await OpenTransactionAsync(client, "Bob@Example.org", "carol@example.org");

        // Act
        await client.SendAsync(Message + ".\r\n");
        var reply = await client.ReadReplyAsync();

        // Assert
        Assert.StartsWith("250 2.0.0 Ok: queued as ", reply);
        var queueId = reply["250 2.0.0 Ok: queued as ".Length..].Trim();
        foreach (var mailbox in new[] { "bob@example.org", "carol@example.org" })
        {
            var list = await Region.Ask<MessageList>(new ListMessages(mailbox, 0, 10), AskTimeout);
            var entry = Assert.Single(list.Items);
            Assert.Equal(queueId, entry.Id);
            Assert.Equal("Spec message", entry.Subject);
            Assert.Equal("spec-1@example.org", entry.MessageId);
        }

        // One body for both recipients, keyed by its hash, byte for byte what was sent.
        Assert.Equal(1, Database.CountContent("SELECT count(*) FROM mail_content"));
        var entryKey = (await Region.Ask<MessageList>(new ListMessages("bob@example.org", 0, 1), AskTimeout)).Items[0].ContentKey;
        var body = await ContentStore.GetAsync(entryKey, CancellationToken.None);
        Assert.Equal(Message, System.Text.Encoding.Latin1.GetString(Assert.IsType<byte[]>(body)));
        Assert.Equal(1, Counters.Accepted);
    }

    [Fact]
    public async Task Session_answers_pipelined_commands_in_order()
    {
        // Arrange
        var (_, client) = await StartSessionAsync();
        await using var _ = client;
        Assert.StartsWith("220 ", await client.ReadReplyAsync());

        // Act: one write holding a whole RFC 2920 command group, DATA last.
        await client.SendAsync(
            "EHLO client.example.org\r\n" +
            "MAIL FROM:<alice@example.org>\r\n" +
            "RCPT TO:<bob@example.org>\r\n" +
            "RCPT TO:<carol@example.org>\r\n" +
            "DATA\r\n");
        var ehlo = await client.ReadReplyAsync();
        var mail = await client.ReadReplyAsync();
        var rcptBob = await client.ReadReplyAsync();
        var rcptCarol = await client.ReadReplyAsync();
        var data = await client.ReadReplyAsync();
        await client.SendAsync(Message + ".\r\nQUIT\r\n");
        var queued = await client.ReadReplyAsync();
        var quit = await client.ReadReplyAsync();

        // Assert
        Assert.StartsWith($"250-{HostName}", ehlo);
        Assert.Contains("PIPELINING", ehlo);
        Assert.StartsWith("250 2.1.0", mail);
        Assert.StartsWith("250 2.1.5", rcptBob);
        Assert.StartsWith("250 2.1.5", rcptCarol);
        Assert.StartsWith("354", data);
        Assert.StartsWith("250 2.0.0 Ok: queued as ", queued);
        Assert.StartsWith("221", quit);
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Session_stops_and_stores_nothing_when_the_client_disconnects_mid_data()
    {
        // Arrange
        var (session, client) = await StartSessionAsync();
        await using var _ = client;
        Watch(session);
        await OpenTransactionAsync(client, "bob@example.org");
        await client.SendAsync("Subject: cut short\r\n\r\nThe first half of a message that never ends");

        // Act
        client.Disconnect();

        // Assert
        await ExpectTerminatedAsync(session, TimeSpan.FromSeconds(10));
        var list = await Region.Ask<MessageList>(new ListMessages("bob@example.org", 0, 10), AskTimeout);
        Assert.Equal(0, list.Total);
        Assert.Equal(0, Database.CountContent("SELECT count(*) FROM mail_content"));
        Assert.Equal(0, Counters.Accepted + Counters.Deferred);
        Assert.Equal(0, Counters.SessionsNow);
    }

    [Theory]
    [InlineData("no header fields, only text\r\n")]
    [InlineData("")]
    public async Task Session_accepts_content_without_header_fields(string content)
    {
        // Arrange: RFC 5321 does not require header fields; a 451 here would make the client retry forever.
        var (_, client) = await StartSessionAsync();
        await using var _ = client;
        await OpenTransactionAsync(client, "bob@example.org");

        // Act
        await client.SendAsync(content + ".\r\n");
        var reply = await client.ReadReplyAsync();

        // Assert
        Assert.StartsWith("250 2.0.0 Ok: queued as ", reply);
        var list = await Region.Ask<MessageList>(new ListMessages("bob@example.org", 0, 10), AskTimeout);
        Assert.Equal(content.Length, Assert.Single(list.Items).Size);
    }
}
