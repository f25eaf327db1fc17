using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailIngest.Testing;
using Microsoft.Data.Sqlite;

namespace MailIngest.IntegrationTests;

/// <summary>
/// POST /api/erasure on a real node: every copy addressed to the address and, when asked, every copy sent from it (its
/// envelope sender or a From: address) is deleted, whichever mailbox holds it; other mail stays; the answer counts
/// what went and can be polled by id; and nothing of the erased mail is left in the SQLite files (no journal payload
/// and no body that names the address).
/// </summary>
public sealed class ErasureTests
{
    private const string Person = "alice@example.com";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Erasing_an_address_deletes_the_mail_to_it_and_from_it_everywhere_and_nothing_else()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path);
        await SendAsync(host, "other@example.org", Person, "to alice 1");
        await SendAsync(host, "other@example.org", Person, "to alice 2");
        await SendAsync(host, Person, "bob@example.com", "from alice, envelope");
        await SendAsync(host, "list@example.org", "carol@example.com", "from alice, header", $"From: Alice <{Person.ToUpperInvariant()}>");
        await SendAsync(host, "other@example.org", "bob@example.com", "to bob");

        // The probe of the files sees her mail before the erasure: 4 journal rows (her mailbox's 2, the 2 she sent) and 4 bodies.
        Assert.Equal((4, 4), await MentionsAsync(data.Path, Person));

        using (var malformed = await host.Admin.PostAsJsonAsync("/api/erasure", new { address = "not-an-address" }))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using (var unknown = await host.Admin.GetAsync("/api/erasure/0123456789abcdef"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var erased = await EraseAsync(host, new { address = $"<{Person.ToUpperInvariant()}>", includeSender = true });

        Assert.Equal(("done", 2, 2, 4), (erased.GetProperty("status").GetString(), erased.GetProperty("addressed").GetInt32(),
            erased.GetProperty("sent").GetInt32(), erased.GetProperty("deleted").GetInt32()));
        Assert.Equal(Person, erased.GetProperty("address").GetString());
        Assert.Empty(await host.ListAsync(Person));
        Assert.Empty(await host.ListAsync("carol@example.com"));
        Assert.Equal(["to bob"], (await host.ListAsync("bob@example.com")).Select(item => item.GetProperty("subject").GetString()));
        var polled = await host.GetJsonAsync($"/api/erasure/{erased.GetProperty("id").GetString()}");
        Assert.Equal(("done", 4), (polled.GetProperty("status").GetString(), polled.GetProperty("deleted").GetInt32()));

        // Nothing of alice's mail in the files: no journal row's payload names her, no body does.
        await Eventually.ValueAsync("no journal payload or body naming the address", () => MentionsAsync(data.Path, Person),
            mentions => mentions == (0, 0), Patience, mentions => $"{mentions.Rows} journal rows and {mentions.Bodies} bodies still name {Person}");

        // Without includeSender only the mailbox itself goes; a second erasure deletes nothing twice.
        var onlyAddressed = await EraseAsync(host, new { address = "bob@example.com" });
        Assert.Equal((1, 0), (onlyAddressed.GetProperty("addressed").GetInt32(), onlyAddressed.GetProperty("sent").GetInt32()));
        var again = await EraseAsync(host, new { address = Person, includeSender = true });
        Assert.Equal(0, again.GetProperty("deleted").GetInt32());
    }

    private static async Task<JsonElement> EraseAsync(HostProcess host, object request)
    {
        using var response = await host.Admin.PostAsJsonAsync("/api/erasure", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task SendAsync(HostProcess host, string from, string to, string subject, params string[] headers) =>
        Swaks.SendAcceptedAsync(host.SmtpPort, to, subject, from, "erasure test", headers);

    /// <summary>Journal rows whose payload and bodies whose content contain <paramref name="address"/> (any case).</summary>
    private static async Task<(long Rows, long Bodies)> MentionsAsync(string dataDirectory, string address)
    {
        async Task<long> CountAsync(string file, string sql)
        {
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, file)};Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$address", address);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        return (await CountAsync("mailingest.db", "SELECT COUNT(*) FROM journal WHERE instr(lower(CAST(message AS TEXT)), $address) > 0"),
            await CountAsync("content.db", "SELECT COUNT(*) FROM mail_content WHERE instr(lower(CAST(body AS TEXT)), $address) > 0"));
    }
}
