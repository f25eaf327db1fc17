using System.Text.Json;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>One log stream: Akka's lines go through Microsoft.Extensions.Logging, JSON is one setting away, and mail traffic logs nothing at Information.</summary>
public sealed class LogFormatTests
{
    [Fact]
    public async Task With_the_JSON_formatter_every_line_including_Akkas_is_one_JSON_object()
    {
        using var data = new TempDirectory();
        await using (var host = await HostProcess.StartReadyAsync(data.Path, new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
        }))
        {
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "json-log", ["json-log@example.com"])).Outcome);
            Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(60)));

            var entries = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToArray();
            var categories = entries.Select(entry => entry.GetProperty("Category").GetString()!).ToHashSet();
            Assert.Contains(categories, category => category.StartsWith("Akka", StringComparison.Ordinal));
            Assert.Contains(categories, category => category.StartsWith("MailIngest", StringComparison.Ordinal));
            Assert.All(entries, entry => Assert.DoesNotContain("[INFO][", entry.GetProperty("Message").GetString()));
        }
    }

    [Fact]
    public async Task Akka_lines_use_the_hosts_simple_format_and_mail_traffic_logs_nothing_at_information()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path);
        Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, "warm", ["simple-log@example.com"])).Outcome);
        var linesBefore = host.Output.Split('\n').Length;

        for (var i = 0; i < 20; i++)
            Assert.Equal(SendOutcome.Acknowledged, (await SmtpTransaction.SendAsync(host.SmtpPort, $"quiet-{i}", ["simple-log@example.com"])).Outcome);

        var newLines = host.Output.Split('\n').Skip(linesBefore).ToArray();
        Assert.True(newLines.Length < 5, $"20 messages logged {newLines.Length} lines:\n{string.Join('\n', newLines)}");
        Assert.DoesNotContain("[INFO][", host.Output);
        Assert.Contains(" info: Akka", host.Output);
    }
}
