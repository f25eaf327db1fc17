using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Tests.TestSupport;

/// <summary>A status source with fixed lines.</summary>
internal sealed class StaticStatusSource(params string[] lines) : ISmtpStatusSource
{
    public IReadOnlyList<string> StatusLines() => lines;
}
