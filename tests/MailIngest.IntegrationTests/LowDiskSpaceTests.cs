using System.Net;
using MailIngest.Testing;
using Xunit.Abstractions;

namespace MailIngest.IntegrationTests;

/// <summary>
/// The data directory on a small volume the test mounts and fills: below Storage:MinFreeBytes the node refuses RCPT
/// with 452 4.3.1 and /readyz says why; when space returns it takes mail again without a restart, and what it
/// acknowledged before is still there. With the guard off, a volume that fills up completely answers 4xx and never 250,
/// and recovers the same way. PostgreSQL whose tables are on such a volume: its out-of-space errors make the node answer
/// 452 4.3.1 (at the end of data, then at RCPT) and never 250 for what it could not store, and it recovers the same way.
/// </summary>
public sealed class LowDiskSpaceTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private const string Recipient = "space@example.com";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_volume_below_MinFreeBytes_refuses_RCPT_with_452_4_3_1_and_takes_mail_again_once_space_returns()
    {
        using var volume = await SmallVolume.MountAsync(96 * MiB);
        await using var host = await HostProcess.StartReadyAsync(volume.Path,
            new Dictionary<string, string> { ["MailIngest__Storage__MinFreeBytes"] = (32 * MiB).ToString() });
        Assert.Contains("250 2.0.0 Ok: queued as", await SwaksAsync(host, "before"));

        var filler = await volume.FillAsync("filler", volume.FreeBytes - 16 * MiB);
        // The node measures the volume at most once a second, so a transaction just after the filling may still be
        // accepted: each attempt is numbered, and what was acknowledged must be stored, what was refused must not.
        var attempts = new List<string>();
        var refused = await Eventually.ValueAsync("452 4.3.1 at RCPT", async () =>
            {
                var output = await SwaksAsync(host, $"while full {attempts.Count}");
                attempts.Add(output);
                return output;
            },
            output => output.Contains("<** 452 4.3.1 Insufficient system storage", StringComparison.Ordinal), Patience);
        using (var ready = await host.Admin.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("below Storage:MinFreeBytes", await ready.Content.ReadAsStringAsync());
        }

        await host.WaitForOutputAsync("Data directory is low on space", Patience);

        File.Delete(filler);
        await Eventually.TrueAsync("/readyz 200 once space returned", async () =>
        {
            using var ready = await host.Admin.GetAsync("/readyz");
            return ready.StatusCode == HttpStatusCode.OK;
        }, Patience);
        Assert.Contains("250 2.0.0 Ok: queued as", await SwaksAsync(host, "after"));
        await host.WaitForOutputAsync("Data directory has room again", Patience);

        var acknowledged = attempts.Select((output, i) => (output, i))
            .Where(attempt => attempt.output.Contains("250 2.0.0 Ok: queued as", StringComparison.Ordinal))
            .Select(attempt => $"while full {attempt.i}");
        var expected = new[] { "after" }.Concat(acknowledged.Reverse()).Append("before").ToArray();
        var subjects = (await host.ListAsync(Recipient)).Select(item => item.GetProperty("subject").GetString() ?? "").ToArray();
        Assert.True(subjects.SequenceEqual(expected), $"stored: {string.Join(", ", subjects)}; expected {string.Join(", ", expected)}; refused:\n{refused}");
    }

    [Fact]
    public async Task A_volume_that_fills_up_completely_never_acknowledges_what_it_could_not_store_and_recovers_without_a_restart()
    {
        using var volume = await SmallVolume.MountAsync(96 * MiB);
        await using var host = await HostProcess.StartReadyAsync(volume.Path, new Dictionary<string, string>
        {
            ["MailIngest__Storage__MinFreeBytes"] = "0",
            ["MailIngest__Smtp__DeliveryTimeoutSeconds"] = "5",
        });
        Assert.Contains("250 2.0.0 Ok: queued as", await SwaksAsync(host, "before"));

        var filler = await volume.FillAsync("filler", volume.FreeBytes);
        var during = await SwaksAsync(host, "while full");
        var healthy = await host.Admin.GetAsync("/healthz");
        output.WriteLine(string.Join('\n', during.Split('\n').Where(line => line.Contains("<** ", StringComparison.Ordinal))));

        File.Delete(filler);
        var after = await Eventually.ValueAsync("250 once space returned", () => SwaksAsync(host, "after"),
            output => output.Contains("250 2.0.0 Ok: queued as", StringComparison.Ordinal), Patience);

        var subjects = (await host.ListAsync(Recipient)).Select(item => item.GetProperty("subject").GetString()).ToArray();
        Assert.True(healthy.IsSuccessStatusCode, "the node stopped answering /healthz on a full volume");
        Assert.DoesNotContain("250 2.0.0 Ok: queued as", during);
        Assert.Contains("<** 45", during);
        Assert.True(subjects is ["after", "before"], $"stored: {string.Join(", ", subjects)}; while full:\n{during}\nlog:\n{host.Output}");
    }

    [Fact]
    public async Task PostgreSQL_out_of_space_answers_452_4_3_1_never_250_and_takes_mail_again_once_space_returns()
    {
        using var volume = await SmallVolume.MountAsync(48 * MiB);
        await using var postgres = await PostgresServer.StartAsync();
        // The tables on the small volume, the write-ahead log not: PostgreSQL then answers a full disk with an error
        // (53100) instead of stopping, as it does when its log cannot be written.
        await postgres.CreateTablespaceAsync("small", Path.Combine(volume.Path, "tablespace"));
        var database = await postgres.CreateDatabaseAsync("diskfull", tablespace: "small");
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["MailIngest__Storage__Provider"] = "PostgreSql",
            ["MailIngest__Storage__ConnectionString"] = database,
        });
        Assert.Contains("250 2.0.0 Ok: queued as", await SwaksAsync(host, "before"));

        var filler = await volume.FillAsync("filler", volume.FreeBytes - 2 * MiB);
        // Messages of 100 000 random octets (each body stored: no two alike, none compressible) until the database is
        // full: at most 200 (the volume has 2 MiB left).
        var attempts = new List<string>();
        await Eventually.ValueAsync("452 4.3.1 once the database is full", async () =>
            {
                var transcript = await SwaksAsync(host, $"while full {attempts.Count}",
                    // Not starting with '+' or '-', which swaks would take for an option.
                    "x" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(75_000)));
                attempts.Add(transcript);
                return transcript;
            },
            transcript => transcript.Contains("<** 452 4.3.1", StringComparison.Ordinal) || attempts.Count >= 200, Patience,
            interval: TimeSpan.Zero);
        var refusedAt = attempts.Count;
        Assert.Contains("<** 452 4.3.1 Insufficient system storage", attempts[^1]);
        Assert.All(attempts, transcript => Assert.True(
            transcript.Contains("250 2.0.0 Ok: queued as", StringComparison.Ordinal) != transcript.Contains("<** 4", StringComparison.Ordinal),
            transcript));
        // Right after, RCPT is refused too, and /readyz says why.
        Assert.Contains("<** 452 4.3.1", await SwaksAsync(host, "refused at RCPT"));
        using (var ready = await host.Admin.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("the database is out of space", await ready.Content.ReadAsStringAsync());
        }

        await host.WaitForOutputAsync("The database is out of space", Patience);

        File.Delete(filler);
        await Eventually.ValueAsync("250 once space returned", () => SwaksAsync(host, "after"),
            transcript => transcript.Contains("250 2.0.0 Ok: queued as", StringComparison.Ordinal), Patience);

        var acknowledged = attempts.Select((transcript, i) => (transcript, i))
            .Where(attempt => attempt.transcript.Contains("250 2.0.0 Ok: queued as", StringComparison.Ordinal))
            .Select(attempt => $"while full {attempt.i}");
        var expected = new[] { "after" }.Concat(acknowledged.Reverse()).Append("before").ToArray();
        var subjects = (await host.ListAsync(Recipient)).Select(item => item.GetProperty("subject").GetString() ?? "").ToArray();
        output.WriteLine($"{refusedAt - 1} messages of 100 000 octets acknowledged before the first 452; stored: {subjects.Length}");
        Assert.True(subjects.SequenceEqual(expected), $"stored: {string.Join(", ", subjects)}; expected {string.Join(", ", expected)}");
    }

    /// <summary>One transaction through swaks; its transcript (swaks exits non-zero on a refusal, which the caller reads).</summary>
    private static async Task<string> SwaksAsync(HostProcess host, string subject, string body = "space test") =>
        (await Swaks.SendAsync(host.SmtpPort, Recipient, subject, body: body)).Output;
}
