using MailIngest.Testing;

namespace MailIngest.IntegrationTests;

/// <summary>The clients a newcomer uses from the README: swaks, curl and Python's smtplib.</summary>
public sealed class CommandLineClientTests(SingleNodeFixture node) : IClassFixture<SingleNodeFixture>
{
    private HostProcess Host => node.Host;

    [Fact]
    public async Task Swaks_delivers_a_message()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("swaks",
        [
            "--server", "127.0.0.1", "--port", Host.SmtpPort.ToString(), "--to", "swaks@example.com",
            "--from", "tester@example.org", "--header", "Subject: via swaks", "--body", "swaks body",
        ]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("250 2.0.0 Ok: queued as", output);
        await Host.SingleBySubjectAsync("swaks@example.com", "via swaks");
    }

    [Fact]
    public async Task Curl_uploads_a_message()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("curl",
        [
            "--silent", "--show-error", "--url", $"smtp://127.0.0.1:{Host.SmtpPort}", "--mail-from", "tester@example.org",
            "--mail-rcpt", "curl@example.com", "--upload-file", "-",
        ], "From: tester@example.org\r\nTo: curl@example.com\r\nSubject: via curl\r\n\r\ncurl body\r\n");

        Assert.True(exitCode == 0, output);
        await Host.SingleBySubjectAsync("curl@example.com", "via curl");
    }

    [Fact]
    public async Task Python_smtplib_sends_and_sees_the_extensions()
    {
        var script = $$"""
            import smtplib
            from email.message import EmailMessage
            m = EmailMessage()
            m["From"] = "tester@example.org"
            m["To"] = "python@example.com"
            m["Subject"] = "via smtplib"
            m.set_content("python body")
            with smtplib.SMTP("127.0.0.1", {{Host.SmtpPort}}) as s:
                code, _ = s.ehlo()
                assert code == 250
                for ext in ("pipelining", "size", "8bitmime", "smtputf8", "enhancedstatuscodes"):
                    assert s.has_extn(ext), ext
                s.send_message(m)
            print("sent")
            """;

        var (exitCode, output) = await ExternalTool.RunAsync("python3", ["-c", script]);

        Assert.True(exitCode == 0, output);
        await Host.SingleBySubjectAsync("python@example.com", "via smtplib");
    }
}
