using MailIngest.Smtp.Milter;

namespace MailIngest.Host.Configuration;

/// <summary>One entry of the MailIngest:Milters list (Postfix's smtpd_milters, with its timeouts' defaults).</summary>
public sealed class MilterSettings
{
    /// <summary>Names the milter in logs, metrics and every message's "filters"; defaults to the address.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>inet:host:port</c> or <c>unix:/path/to.sock</c>.</summary>
    public string Address { get; set; } = "";

    /// <summary>What a message gets when the milter is down, times out or breaks the protocol.</summary>
    public MilterFailurePolicy DefaultAction { get; set; } = MilterFailurePolicy.TempFail;

    /// <summary>Longest wait for the connection (Postfix milter_connect_timeout: 30 s).</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>Longest wait for the answer to a command (Postfix milter_command_timeout: 30 s).</summary>
    public int CommandTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>Longest wait for the answer to a body chunk or the end of the message (Postfix milter_content_timeout: 300 s).</summary>
    public int ContentTimeoutMilliseconds { get; set; } = 300_000;
}
