using Akka.Actor;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Specs.Support;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Sessions;

/// <summary>
/// The session over a real socket when the journal cannot be written: the journal file is built by a
/// normal node first, then this spec's system opens it read-only, so reads work and every persist fails.
/// </summary>
public sealed class SessionDeferralSpecs : SessionSpec
{
    private const string SeededMailbox = "seed@example.org";

    /// <summary>Creates the spec; its journal file is seeded in <see cref="InitializeAsync"/>.</summary>
    public SessionDeferralSpecs(ITestOutputHelper output) : this(new SpecDatabase(), output)
    {
    }

    private SessionDeferralSpecs(SpecDatabase database, ITestOutputHelper output)
        : base(database, database.ReadOnlyJournalConnectionString, output)
    {
    }

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        // The journal plugin of Sys starts with the first mailbox entity, so the file exists (with its
        // tables and one event) before anything opens it read-only.
        var (seeder, region) = await MailboxCluster.StartNodeAsync(Database.JournalConnectionString, ContentStore);
        try
        {
            await region.Ask<StoreMessageAck>(new StoreMessage(SeededMailbox, Entries.Numbered(1)), AskTimeout);
        }
        finally
        {
            await seeder.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        }

        await base.InitializeAsync();
    }

    [Fact]
    public async Task Session_answers_451_when_the_mailbox_cannot_persist()
    {
        // Arrange
        var (_, client) = await StartSessionAsync();
        await using var _ = client;
        await OpenTransactionAsync(client, "bob@example.org", SeededMailbox);

        // Act
        await client.SendAsync(Message + ".\r\n");
        var reply = await client.ReadReplyAsync();

        // Assert: never 250 without a durable copy; the client keeps the message and retries.
        Assert.StartsWith("451 4.3.0", reply);
        Assert.Equal(1, Counters.Deferred);
        Assert.Equal(0, Counters.Accepted);
        Assert.Equal(1, Database.CountJournal("SELECT count(*) FROM journal"));
    }

    [Fact]
    public async Task Session_keeps_the_connection_usable_after_a_deferral()
    {
        // Arrange
        var (_, client) = await StartSessionAsync();
        await using var _ = client;
        await OpenTransactionAsync(client, "bob@example.org");
        await client.SendAsync(Message + ".\r\n");
        Assert.StartsWith("451 4.3.0", await client.ReadReplyAsync());

        // Act
        await client.SendAsync("QUIT\r\n");

        // Assert
        Assert.StartsWith("221", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedByServerAsync());
    }

    [Fact]
    public async Task Read_only_journal_still_recovers_what_was_stored_before()
    {
        // Act
        var list = await Region.Ask<MessageList>(new ListMessages(SeededMailbox, 0, 10), AskTimeout);

        // Assert: the 451 specs fail at the write, not at recovery.
        Assert.Equal(1, list.Total);
    }

    [Fact]
    public async Task Mailbox_acknowledges_only_after_persisting()
    {
        // Act
        var store = Region.Ask<StoreMessageAck>(new StoreMessage("bob@example.org", Entries.Numbered(2)), DeliveryTimeout);
        var error = await Record.ExceptionAsync(() => store);

        // Assert: the ack is sent only inside the persist callback; a failed write answers the asker with the journal's
        // error at once (no ack, and no wait for the deadline).
        Assert.IsType<Microsoft.Data.Sqlite.SqliteException>(error);
    }
}
