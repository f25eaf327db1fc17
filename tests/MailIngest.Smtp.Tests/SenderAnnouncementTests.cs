using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>SmtpOptions.AnnounceSenders: each accepted MAIL is told to the host (SPF starts there), without waiting.</summary>
public sealed class SenderAnnouncementTests
{
    private static SmtpTestDriver Driver(bool announce) =>
        new(new SmtpOptions { HostName = SmtpTestDriver.Host, AnnounceSenders = announce, AcceptedDomains = ["mx.test"] });

    [Fact]
    public void An_accepted_MAIL_is_announced_with_its_sender_client_and_HELO_and_the_session_goes_on()
    {
        var driver = Driver(announce: true);
        driver.Send("EHLO client.test\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<b@mx.test>\r\nRSET\r\nMAIL FROM:<>\r\n");

        Assert.Equal(["220", "250", "250 2.1.0", "250 2.1.5", "250 2.0.0", "250 2.1.0"], driver.Codes);
        Assert.False(driver.Session.AwaitingHost);
        var announced = driver.Effects.OfType<SenderAccepted>().Select(s => (s.Envelope.ReversePath, s.Envelope.ClientName, s.Envelope.Recipients.Count)).ToList();
        Assert.Equal([("a@sender.test", "client.test", 0), ("", "client.test", 0)], announced);
    }

    [Fact]
    public void A_refused_MAIL_is_not_announced_and_without_the_option_nothing_is()
    {
        var announcing = Driver(announce: true);
        announcing.Send("EHLO client.test\r\nMAIL FROM:<not an address>\r\n");
        var silent = Driver(announce: false);
        silent.Send("EHLO client.test\r\nMAIL FROM:<a@sender.test>\r\n");

        Assert.Empty(announcing.Effects.OfType<SenderAccepted>());
        Assert.Equal("250 2.1.0", silent.Codes.Last());
        Assert.Empty(silent.Effects.OfType<SenderAccepted>());
    }
}
