namespace MailIngest.Host.Configuration;

/// <summary>Keys under MailIngest:Admin.</summary>
public sealed class AdminSettings
{
    /// <summary>Address the admin HTTP endpoint binds to.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Admin port; 0 picks a free port.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Bearer token required for /api/ and /status; empty: no token (warned about off loopback). Never logged.</summary>
    public string Token { get; set; } = "";
}
