using System.Security.Cryptography;
using MailIngest.Testing;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;

namespace MailIngest.IntegrationTests;

/// <summary>
/// Filters people run in front of an MX, from Debian's packages, each in a network namespace of its own:
/// SpamAssassin (spamass-milter and spamd with local tests only), rspamd's proxy worker in milter mode (the README's
/// configuration; not libmilter, so a second implementation of the protocol's other side) and OpenDKIM verifying
/// signatures whose key a DNS server on the namespace's loopback serves. What they add is in the stored message.
/// </summary>
public sealed class MilterRealFiltersTests
{
    private const string Gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    [Fact]
    public async Task SpamAssassin_rejects_GTUBE_when_asked_to_and_otherwise_marks_it_and_a_clean_message_passes_with_its_score()
    {
        using var data = new TempDirectory();

        await using (var rejecting = await MilterProcess.StartSpamAssassinAsync(data.Path, rejectSpam: true))
        await using (var host = await HostProcess.StartReadyAsync(Path.Combine(data.Path, "reject"), Milter("spamassassin", rejecting.Address)))
        {
            var (exitCode, output) = await Swaks.SendAsync(host.SmtpPort, "spam@example.com", "gtube", body: Gtube);
            Assert.True(exitCode != 0, output);
            Assert.Contains("550 5.7.1 Blocked by SpamAssassin", output);
            Assert.Empty(await host.ListAsync("spam@example.com"));

            await Swaks.SendAcceptedAsync(host.SmtpPort, "ham@example.com", "clean", body: "Hello, this is an ordinary message about lunch.");
            var clean = await host.SingleBySubjectAsync("ham@example.com", "clean");
            var raw = await host.RawAsync("ham@example.com", clean.GetProperty("id").GetString()!);
            Assert.Contains("\r\nX-Spam-Status: No, score=", raw);
            Assert.Contains(clean.GetProperty("filters")[0].GetProperty("headersAdded").EnumerateArray(),
                header => header.GetString()!.StartsWith("X-Spam-Status: No", StringComparison.Ordinal));
        }

        await using (var marking = await MilterProcess.StartSpamAssassinAsync(data.Path, rejectSpam: false))
        await using (var host = await HostProcess.StartReadyAsync(Path.Combine(data.Path, "mark"), Milter("spamassassin", marking.Address)))
        {
            await Swaks.SendAcceptedAsync(host.SmtpPort, "spam@example.com", "gtube", body: Gtube);
            var marked = await host.SingleBySubjectAsync("spam@example.com", "gtube");
            var raw = await host.RawAsync("spam@example.com", marked.GetProperty("id").GetString()!);
            Assert.Contains("\r\nX-Spam-Flag: YES\r\n", raw);
            Assert.Contains("\r\nX-Spam-Status: Yes, score=", raw);
        }
    }

    [Fact]
    public async Task Rspamd_in_milter_mode_rejects_GTUBE_at_end_of_data_and_marks_a_clean_message_with_its_queue_id()
    {
        using var data = new TempDirectory();
        await using var rspamd = await MilterProcess.StartRspamdAsync(data.Path);
        await using var host = await HostProcess.StartReadyAsync(data.Path, Milter("rspamd", rspamd.Address));
        var diagnosis = () => $"{host.Output}\n--- rspamd ---\n{rspamd.Output}";

        var (exitCode, output) = await Swaks.SendAsync(host.SmtpPort, "spam@example.com", "gtube", body: Gtube);
        Assert.True(exitCode != 0, output + diagnosis());
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, @" -> \.\r?\n<\*\*\s+5\d\d 5\.7\.1 "), output + diagnosis());
        Assert.Empty(await host.ListAsync("spam@example.com"));

        await Swaks.SendAcceptedAsync(host.SmtpPort, "ham@example.com", "clean", body: "Hello, this is an ordinary message about lunch.");
        var clean = await host.SingleBySubjectAsync("ham@example.com", "clean");
        var id = clean.GetProperty("id").GetString()!;
        var raw = await host.RawAsync("ham@example.com", id);
        Assert.True(raw.Contains($"\r\nX-Rspamd-Queue-Id: {id}\r\n", StringComparison.Ordinal), raw + diagnosis());
        Assert.Contains("\r\nX-Spamd-Result: default: False", raw);
        Assert.Equal("accept", clean.GetProperty("filters")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task OpenDKIM_verifies_signatures_and_its_Authentication_Results_are_stored()
    {
        using var data = new TempDirectory();
        using var key = RSA.Create(2048);
        var record = $"v=DKIM1; k=rsa; p={Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())}";
        await using var opendkim = await MilterProcess.StartOpenDkimAsync(data.Path, "signed.example", "sel1", record, "mx.mailingest.test");
        await using var host = await HostProcess.StartReadyAsync(data.Path, Milter("opendkim", opendkim.Address));

        // Simple canonicalization checks that header values reach the milter byte for byte (leading space included).
        foreach (var (canonicalization, subject) in new[] { (DkimCanonicalizationAlgorithm.Relaxed, "relaxed"), (DkimCanonicalizationAlgorithm.Simple, "simple") })
        {
            await SendRawAsync(host, Signed(key, subject, canonicalization, "A signed message.\r\n"), data.Path);
            var stored = await host.SingleBySubjectAsync("dkim@example.com", subject);
            var raw = await host.RawAsync("dkim@example.com", stored.GetProperty("id").GetString()!);
            Assert.Contains("Authentication-Results: mx.mailingest.test;", raw);
            var unfolded = raw.Replace("\r\n\t", " ").Replace("\r\n ", " ");
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(unfolded, @"dkim=pass [^\r\n]*header\.d=signed\.example"), unfolded);
        }

        // The body changed after signing: the signature fails, and the message is still stored with that verdict.
        var tampered = Signed(key, "tampered", DkimCanonicalizationAlgorithm.Relaxed, "A signed message.\r\n")
            .Replace("A signed message.", "A changed message.", StringComparison.Ordinal);
        await SendRawAsync(host, tampered, data.Path);
        var failed = await host.SingleBySubjectAsync("dkim@example.com", "tampered");
        Assert.Contains("dkim=fail", (await host.RawAsync("dkim@example.com", failed.GetProperty("id").GetString()!)).Replace("\r\n\t", " "));
    }

    private static Dictionary<string, string> Milter(string name, string address) => new()
    {
        ["MailIngest__Milters__0__Name"] = name,
        ["MailIngest__Milters__0__Address"] = address,
    };

    private static string Signed(RSA key, string subject, DkimCanonicalizationAlgorithm canonicalization, string body)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender", "sender@signed.example"));
        message.To.Add(new MailboxAddress("Receiver", "dkim@example.com"));
        message.Subject = subject;
        message.Date = DateTimeOffset.UtcNow;
        message.MessageId = MimeUtils.GenerateMessageId("signed.example");
        message.Body = new TextPart("plain") { Text = body };
        using var pem = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(key.ExportRSAPrivateKeyPem()));
        var signer = new DkimSigner(pem, "signed.example", "sel1")
        {
            HeaderCanonicalizationAlgorithm = canonicalization,
            BodyCanonicalizationAlgorithm = canonicalization,
        };
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(format, message, [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId]);
        using var output = new MemoryStream();
        message.WriteTo(format, output);
        return System.Text.Encoding.ASCII.GetString(output.ToArray());
    }

    /// <summary>Sends the message exactly as given (swaks --data), from the envelope sender of its From.</summary>
    private static async Task SendRawAsync(HostProcess host, string message, string directory)
    {
        var file = Path.Combine(directory, $"message-{Guid.NewGuid():N}.eml");
        await File.WriteAllTextAsync(file, message);
        var (exitCode, output) = await ExternalTool.RunAsync("swaks",
            ["--server", "127.0.0.1", "--port", host.SmtpPort.ToString(), "--from", "sender@signed.example", "--to", "dkim@example.com", "--data", file]);
        Assert.True(exitCode == 0, output);
    }
}
