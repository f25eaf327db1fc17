using MailIngest.Testing;
using Microsoft.Data.Sqlite;

namespace MailIngest.IntegrationTests;

/// <summary>
/// Which copies a mailbox merges, on the real host with Python's smtplib: two acknowledged messages are never merged
/// unless they carry the same Message-ID and content; a retry of a deferred transaction still yields one copy per
/// recipient, across a restart. The deferral is real: a trigger in the node's SQLite journal refuses one mailbox's rows.
/// </summary>
public sealed class RetryDedupTests
{
    private const string Alert = "From: <alert@example.org>\r\nTo: <ops@example.com>\r\nSubject: disk 90% on db1\r\n\r\ndisk 90% on db1\r\n";

    // A deferral within seconds, not the default 30 s.
    private static readonly Dictionary<string, string> QuickDeferral = new() { ["MailIngest__Smtp__DeliveryTimeoutSeconds"] = "3" };

    [Fact]
    public async Task Identical_messages_without_Message_ID_are_both_kept_and_identical_Message_IDs_are_kept_once()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path);

        Assert.Equal(250, await SendAsync(host, Alert, "ops@example.com"));
        Assert.Equal(250, await SendAsync(host, Alert, "ops@example.com"));
        var withId = "Message-ID: <alert-1@example.org>\r\n" + Alert;
        Assert.Equal(250, await SendAsync(host, withId, "ids@example.com"));
        Assert.Equal(250, await SendAsync(host, withId, "ids@example.com"));

        Assert.Equal(2, (await host.ListAsync("ops@example.com")).Count);
        Assert.Single(await host.ListAsync("ids@example.com"));
    }

    [Fact]
    public async Task Retry_of_a_deferred_transaction_after_a_restart_leaves_one_copy_per_recipient_and_a_later_identical_message_is_kept()
    {
        using var data = new TempDirectory();
        var recipients = new[] { "good@example.com", "broken@example.com" };
        await using (var first = await HostProcess.StartReadyAsync(data.Path, QuickDeferral))
        {
            // Arrange: good@ persists its copy, broken@ cannot, so the transaction answers 451.
            await RefuseJournalRowsAsync(data.Path, "broken@example.com");
            Assert.Equal(451, await SendAsync(first, Alert, recipients));
            Assert.Single(await first.ListAsync("good@example.com"));
            Assert.Empty(await first.ListAsync("broken@example.com"));
            await AcceptJournalRowsAsync(data.Path);
            Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        await using var second = await HostProcess.StartReadyAsync(data.Path, QuickDeferral);

        // Act: the client's retry, then a new alert with the same content.
        Assert.Equal(250, await SendAsync(second, Alert, recipients));
        var afterRetry = await CountsAsync(second, recipients);
        Assert.Equal(250, await SendAsync(second, Alert, recipients));
        var afterNext = await CountsAsync(second, recipients);

        // Assert
        Assert.Equal([1, 1], afterRetry);
        Assert.Equal([2, 2], afterNext);
    }

    private static async Task<int[]> CountsAsync(HostProcess host, IEnumerable<string> recipients) =>
        await Task.WhenAll(recipients.Select(async recipient => (await host.ListAsync(recipient)).Count));

    private static Task<int> SendAsync(HostProcess host, string message, params string[] recipients) =>
        PythonSmtp.SendAsync(host.SmtpPort, "alert@example.org", recipients, message);

    private static async Task RefuseJournalRowsAsync(string dataDirectory, string mailbox)
    {
        await using var journal = Journal(dataDirectory);
        await journal.OpenAsync();
        await using var command = journal.CreateCommand();
        // DDL takes no parameters; the address is the test's own constant.
        command.CommandText = $"""
            CREATE TRIGGER refuse_mailbox BEFORE INSERT ON journal WHEN NEW.persistence_id = 'mailbox-{mailbox}'
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
            """;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task AcceptJournalRowsAsync(string dataDirectory)
    {
        await using var journal = Journal(dataDirectory);
        await journal.OpenAsync();
        await using var command = journal.CreateCommand();
        command.CommandText = "DROP TRIGGER refuse_mailbox";
        await command.ExecuteNonQueryAsync();
    }

    private static SqliteConnection Journal(string dataDirectory) =>
        new($"Data Source={Path.Combine(dataDirectory, "mailingest.db")};Pooling=False");
}
