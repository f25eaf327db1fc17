using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using MailIngest.Testing;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailIngest.IntegrationTests;

/// <summary>STARTTLS and implicit TLS on the real host with real clients: MailKit, swaks --tls, openssl s_client.</summary>
public sealed class TlsTests(TlsNode node) : IClassFixture<TlsNode>
{
    private HostProcess Host => node.Host;

    private static MimeMessage Message(string subject, string to)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.org"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Over TLS.\r\n" };
        return message;
    }

    private static async Task SendAsync(int port, SecureSocketOptions security, MimeMessage message)
    {
        using var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true };
        await client.ConnectAsync("127.0.0.1", port, security);
        Assert.True(client.IsSecure);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }

    [Fact]
    public async Task MailKit_with_STARTTLS_delivers_and_Received_records_ESMTPS_protocol_and_cipher()
    {
        await SendAsync(Host.SmtpPort, SecureSocketOptions.StartTls, Message("starttls mailkit", "tls-starttls@example.com"));

        var item = await Host.SingleBySubjectAsync("tls-starttls@example.com", "starttls mailkit");
        var raw = await Host.RawAsync("tls-starttls@example.com", item.GetProperty("id").GetString()!);
        Assert.Contains("with ESMTPS", raw);
        Assert.Matches(@"\(using TLSv1\.[23] with cipher TLS_\w+\)", raw);
    }

    [Fact]
    public async Task MailKit_on_the_implicit_TLS_port_delivers()
    {
        await SendAsync(node.ImplicitPort, SecureSocketOptions.SslOnConnect, Message("implicit mailkit", "tls-implicit@example.com"));

        await Host.SingleBySubjectAsync("tls-implicit@example.com", "implicit mailkit");
        var endpoints = (await Host.GetJsonAsync("/status")).GetProperty("endpoints");
        Assert.EndsWith($":{node.ImplicitPort}", endpoints.GetProperty("smtps").GetString());
    }

    [Fact]
    public async Task Swaks_with_tls_delivers()
    {
        var (exitCode, output) = await ExternalTool.RunAsync("swaks",
            ["--server", $"127.0.0.1:{Host.SmtpPort}", "--tls", "--to", "tls-swaks@example.com", "--from", "swaks@example.org",
             "--header", "Subject: swaks tls", "--body", "over tls"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("TLS started", output);
        await Host.SingleBySubjectAsync("tls-swaks@example.com", "swaks tls");
    }

    [Fact]
    public async Task Openssl_negotiates_TLS_1_2_and_1_3_and_is_refused_TLS_1_1()
    {
        foreach (var version in new[] { "-tls1_2", "-tls1_3" })
        {
            var (exitCode, output) = await ExternalTool.RunAsync("openssl",
                ["s_client", "-starttls", "smtp", "-connect", $"127.0.0.1:{Host.SmtpPort}", version, "-brief"], input: "QUIT\r\n");
            Assert.True(exitCode == 0, $"{version}: {output}");
            Assert.Contains("CONNECTION ESTABLISHED", output);
        }

        var (oldExit, oldOutput) = await ExternalTool.RunAsync("openssl",
            ["s_client", "-starttls", "smtp", "-connect", $"127.0.0.1:{Host.SmtpPort}", "-tls1_1", "-brief"], input: "QUIT\r\n");
        Assert.True(oldExit != 0, oldOutput);
    }

    [Fact]
    public async Task Commands_pipelined_after_STARTTLS_in_the_clear_are_dropped_not_executed()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Host.SmtpPort);
        var clear = tcp.GetStream();
        var reader = new StreamReader(clear, Encoding.ASCII);
        Assert.StartsWith("220", await reader.ReadLineAsync());
        await clear.WriteAsync("EHLO inject.test\r\n"u8.ToArray());
        while ((await reader.ReadLineAsync())!.StartsWith("250-", StringComparison.Ordinal)) { }

        // CVE-2011-0411: the injected MAIL must not survive the switch to TLS.
        await clear.WriteAsync("STARTTLS\r\nMAIL FROM:<evil@example.org>\r\n"u8.ToArray());
        Assert.StartsWith("220 2.0.0", await reader.ReadLineAsync());
        await using var tls = new SslStream(clear, leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "mx.test", EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 });
        var secure = new StreamReader(tls, Encoding.ASCII);
        await tls.WriteAsync("RCPT TO:<victim@example.com>\r\nEHLO inject.test\r\n"u8.ToArray());

        Assert.StartsWith("503 5.5.1", await secure.ReadLineAsync());
        var ehlo = new List<string> { (await secure.ReadLineAsync())! };
        while (ehlo[^1].StartsWith("250-", StringComparison.Ordinal)) ehlo.Add((await secure.ReadLineAsync())!);
        Assert.DoesNotContain(ehlo, line => line.Contains("STARTTLS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_renewed_certificate_is_served_without_a_restart()
    {
        var renewed = TestCertificate.Write(node.Certificates, $"renewed-{Guid.NewGuid():N}.mx.test");
        Assert.NotEqual(node.FirstSubject, renewed);

        await Eventually.ValueAsync($"the certificate {renewed} on the implicit TLS port", async () =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", node.ImplicitPort);
            await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync("mx.test");
            return tls.RemoteCertificate!.Subject;
        }, presented => presented == renewed, TimeSpan.FromSeconds(30), presented => $"presented {presented}", TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task With_TLS_required_MAIL_in_the_clear_gets_530_5_7_0()
    {
        using var data = new TempDirectory();
        await using var host = await HostProcess.StartReadyAsync(data.Path,
            new Dictionary<string, string>(TlsNode.TlsSettings(node.Certificates)) { ["MailIngest__Smtp__Tls__Required"] = "true" });
        await using var client = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        await client.ReadReplyAsync();

        await client.SendAsync("EHLO clear.test\r\nMAIL FROM:<a@example.org>\r\n");
        var replies = await client.ReadRepliesAsync(2);

        Assert.Contains("STARTTLS", replies[0]);
        Assert.StartsWith("530 5.7.0", replies[1]);
    }
}
