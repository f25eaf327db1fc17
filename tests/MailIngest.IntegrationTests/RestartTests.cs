using MailIngest.Testing;
using MailKit.Net.Smtp;
using MimeKit;

namespace MailIngest.IntegrationTests;

/// <summary>What was acknowledged survives a restart of the node: the journal and content are on disk.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Message_is_readable_after_a_graceful_restart_and_after_a_kill()
    {
        using var data = new TempDirectory();
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.org"));
        message.To.Add(MailboxAddress.Parse("durable@example.com"));
        message.Subject = "survives restarts";
        message.Body = new TextPart("plain") { Text = "still here" };

        await using (var first = await HostProcess.StartReadyAsync(data.Path))
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", first.SmtpPort, MailKit.Security.SecureSocketOptions.None);
            await client.SendAsync(message);
            await client.DisconnectAsync(true);
            Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(60)));
        }

        await using (var second = await HostProcess.StartReadyAsync(data.Path))
        {
            var item = await second.SingleBySubjectAsync("durable@example.com", "survives restarts");
            Assert.Contains("still here", await second.RawAsync("durable@example.com", item.GetProperty("id").GetString()!));
        }

        // SIGKILL on dispose above: the third start recovers from a node that had no chance to shut down cleanly.
        await using var third = await HostProcess.StartReadyAsync(data.Path);
        await third.SingleBySubjectAsync("durable@example.com", "survives restarts");
    }
}
