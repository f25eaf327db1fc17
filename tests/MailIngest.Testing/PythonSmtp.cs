namespace MailIngest.Testing;

/// <summary>Python's smtplib as a client: sends a message's bytes as given (it adds no header) and reports DATA's reply code.</summary>
public static class PythonSmtp
{
    private const string Script = """
        import smtplib, sys
        port, sender, recipients = int(sys.argv[1]), sys.argv[2], sys.argv[3].split(",")
        try:
            with smtplib.SMTP("127.0.0.1", port) as smtp:
                smtp.sendmail(sender, recipients, sys.stdin.read().encode())
            print(250)
        except smtplib.SMTPDataError as error:
            print(error.smtp_code)
        """;

    /// <summary>Sends <paramref name="message"/> from <paramref name="sender"/> to <paramref name="recipients"/> through <paramref name="port"/>; 250 when accepted.</summary>
    public static async Task<int> SendAsync(int port, string sender, IReadOnlyList<string> recipients, string message)
    {
        var (exitCode, output) = await ExternalTool.RunAsync("python3", ["-c", Script, port.ToString(), sender, string.Join(",", recipients)], message);
        if (exitCode != 0 || !int.TryParse(output.Trim(), out var code)) throw new InvalidOperationException($"smtplib failed: {output}");
        return code;
    }
}
