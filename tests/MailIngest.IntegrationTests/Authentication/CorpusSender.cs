using System.Net;
using System.Text;
using MailIngest.Testing;

namespace MailIngest.IntegrationTests.Authentication;

/// <summary>Sends a corpus case as its client would: a PROXY v1 header naming the case's address, then one transaction.</summary>
public static class CorpusSender
{
    /// <summary>The case's message to <paramref name="recipient"/>; returns the reply to the end of data.</summary>
    public static async Task<string> SendAsync(HostProcess host, OracleCorpusFixture corpus, OracleCase @case, string recipient)
    {
        var family = IPAddress.Parse(@case.ClientIp).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "TCP6 " : "TCP4 ";
        var local = family == "TCP6 " ? "2001:db8::25" : "10.0.0.1";
        await using var client = await RawSmtpClient.ConnectAsync(host.SmtpPort);
        await client.SendAsync(Encoding.ASCII.GetBytes($"PROXY {family}{@case.ClientIp} {local} 56324 25\r\n"));
        Assert.StartsWith("220", await client.ReadReplyAsync());
        await client.SendAsync($"EHLO {@case.Helo}\r\n");
        Assert.StartsWith("250", await client.ReadReplyAsync());
        await client.SendAsync($"MAIL FROM:<{@case.MailFrom}>\r\nRCPT TO:<{recipient}>\r\nDATA\r\n");
        var replies = await client.ReadRepliesAsync(3);
        Assert.StartsWith("354", replies[2]);
        await client.SendAsync(DotStuffed(await OracleCorpus.MessageAsync(corpus.Directory, @case)));
        var answer = await client.ReadReplyAsync();
        await client.SendAsync("QUIT\r\n");
        return answer;
    }

    /// <summary>RFC 5321 §4.5.2: a line that starts with "." gets another; then the end-of-data line.</summary>
    private static byte[] DotStuffed(byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        if (!text.EndsWith("\r\n", StringComparison.Ordinal)) text += "\r\n";
        var stuffed = (text.StartsWith('.') ? "." : "") + text.Replace("\r\n.", "\r\n..", StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(stuffed + ".\r\n");
    }
}
