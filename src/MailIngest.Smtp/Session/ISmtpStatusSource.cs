namespace MailIngest.Smtp.Session;

/// <summary>Supplies the lines of the 211 system status reply (node, members up, sessions, uptime).</summary>
public interface ISmtpStatusSource
{
    /// <summary>Human-readable status lines, without reply codes.</summary>
    IReadOnlyList<string> StatusLines();
}
