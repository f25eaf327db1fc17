using MailIngest.Actors.Specs.Support;
using MailIngest.Actors.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace MailIngest.Actors.Specs.Content;

/// <summary>
/// A body is kept while any copy may refer to it, and deleted when the last lets go: inline bodies (an upsert) and
/// large ones (counted first, streamed only when new) alike; a row from before the count (refs NULL) is kept.
/// </summary>
public sealed class SqliteContentReferenceTests : IDisposable
{
    private readonly SpecDatabase _database = new();
    private readonly SqliteContentStore _store;

    public SqliteContentReferenceTests() => _store = new SqliteContentStore(_database.ContentConnectionString);

    [Theory]
    [InlineData(4 * 1024)]
    [InlineData(200 * 1024)]
    public async Task A_body_stored_twice_goes_only_when_every_copy_released_it(int size)
    {
        // Arrange: the same content for two messages, of two and one recipients.
        await _store.InitializeAsync(CancellationToken.None);
        var body = Enumerable.Range(0, size).Select(i => (byte)('a' + i % 26)).ToArray();
        await _store.PutAsync("k", new MemoryStream(body), 2, CancellationToken.None);
        await _store.PutAsync("k", new MemoryStream(body), 1, CancellationToken.None);

        // Act
        var first = await _store.ReleaseAsync(["k", "k"], CancellationToken.None);
        var kept = await _store.GetAsync("k", CancellationToken.None);
        var last = await _store.ReleaseAsync(["k"], CancellationToken.None);

        // Assert
        Assert.Equal(0, first);
        Assert.Equal(body, kept);
        Assert.Equal(1, last);
        Assert.Null(await _store.GetAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task A_body_stored_before_bodies_were_counted_is_kept()
    {
        // Arrange: the table as the previous version made it, with one body; then today's start adds the count.
        using (var connection = new SqliteConnection(_database.ContentConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE mail_content (content_key TEXT NOT NULL PRIMARY KEY, size INTEGER NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL);
                INSERT INTO mail_content VALUES ('old', 3, x'616263', '2026-01-01');
                """;
            command.ExecuteNonQuery();
        }

        await _store.InitializeAsync(CancellationToken.None);

        // Act
        var deleted = await _store.ReleaseAsync(["old", "old"], CancellationToken.None);

        // Assert
        Assert.Equal(0, deleted);
        Assert.Equal("abc"u8.ToArray(), await _store.GetAsync("old", CancellationToken.None));
    }

    public void Dispose() => _database.Dispose();
}
