using System.Text;
using MailIngest.Smtp.Session;
using MailIngest.Smtp.Tests.TestSupport;

namespace MailIngest.Smtp.Tests;

/// <summary>STARTTLS (RFC 3207) as the core sees it: offer, answer, drop what was pipelined, forget, require.</summary>
public sealed class TlsTests
{
    private static readonly TlsDetails Tls13 = new("TLSv1.3", "TLS_AES_256_GCM_SHA384");

    private static SmtpTestDriver Driver(bool required = false) =>
        new(new SmtpOptions { HostName = SmtpTestDriver.Host, TlsAvailable = true, TlsRequired = required });

    [Fact]
    public void EHLO_offers_STARTTLS_only_with_a_certificate_and_only_in_the_clear()
    {
        Assert.DoesNotContain("STARTTLS", new SmtpTestDriver().Send("EHLO c.test\r\n").Wire, StringComparison.Ordinal);
        var driver = Driver().Send("EHLO c.test\r\n");
        Assert.Contains("250-STARTTLS\r\n", driver.Wire, StringComparison.Ordinal);

        driver.Send("STARTTLS\r\n").Record(driver.Session.TlsStarted(Tls13));
        driver.Replies.Clear();
        driver.Send("EHLO c.test\r\n");

        Assert.DoesNotContain("STARTTLS", driver.Wire, StringComparison.Ordinal);
    }

    [Fact]
    public void STARTTLS_without_a_certificate_gets_502_5_5_1()
    {
        var driver = new SmtpTestDriver().Send("EHLO c.test\r\nSTARTTLS\r\n");

        Assert.Equal("502 5.5.1", driver.LastCode);
        Assert.DoesNotContain(driver.Effects, effect => effect is StartTls);
    }

    [Fact]
    public void STARTTLS_answers_220_and_drops_whatever_was_pipelined_after_it_in_the_clear()
    {
        var driver = Driver().Send("EHLO c.test\r\n");
        var input = Encoding.ASCII.GetBytes("STARTTLS\r\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@mx.test>\r\n");

        var result = driver.Session.Feed(input);
        driver.Record(result.Effects);

        Assert.Equal(input.Length, result.Consumed);
        Assert.Equal("220 2.0.0", driver.LastCode);
        Assert.IsType<StartTls>(driver.Effects[^1]);
        Assert.Single(driver.Replies, reply => reply.Code == 220 && reply.EnhancedCode is not null);
    }

    [Fact]
    public void After_TLS_the_session_starts_over_and_MAIL_needs_a_new_EHLO()
    {
        var driver = Driver().Send("EHLO c.test\r\nSTARTTLS\r\n");
        driver.Record(driver.Session.TlsStarted(Tls13));

        driver.Send("MAIL FROM:<a@sender.test>\r\nEHLO c.test\r\nMAIL FROM:<a@sender.test>\r\n");

        Assert.Equal(["503 5.5.1", "250", "250 2.1.0"], driver.Codes.TakeLast(3));
        Assert.True(driver.Session.Secure);
    }

    [Theory]
    [InlineData("STARTTLS\r\n", "503 5.5.1")]
    [InlineData("EHLO c.test\r\nSTARTTLS now\r\n", "501 5.5.4")]
    [InlineData("EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\nSTARTTLS\r\n", "503 5.5.1")]
    public void STARTTLS_before_EHLO_with_an_argument_or_inside_a_transaction_is_refused(string input, string code)
    {
        var driver = Driver().Send(input);

        Assert.Equal(code, driver.LastCode);
        Assert.DoesNotContain(driver.Effects, effect => effect is StartTls);
    }

    [Fact]
    public void A_second_STARTTLS_over_TLS_is_a_bad_sequence()
    {
        var driver = Driver().Send("EHLO c.test\r\nSTARTTLS\r\n");
        driver.Record(driver.Session.TlsStarted(Tls13));

        driver.Send("EHLO c.test\r\nSTARTTLS\r\n");

        Assert.Equal("503 5.5.1", driver.LastCode);
    }

    [Fact]
    public void With_TLS_required_MAIL_in_the_clear_gets_530_5_7_0_and_works_after_STARTTLS()
    {
        var driver = Driver(required: true).Send("EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\nSTARTTLS\r\n");
        Assert.Equal(["250", "530 5.7.0", "220 2.0.0"], driver.Codes.Skip(1));
        driver.Record(driver.Session.TlsStarted(Tls13));

        driver.Send("EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\n");

        Assert.Equal("250 2.1.0", driver.LastCode);
    }

    [Fact]
    public void TLS_required_without_a_certificate_is_not_enforced()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, TlsRequired = true });

        driver.Send("EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\n");

        Assert.Equal("250 2.1.0", driver.LastCode);
    }

    [Fact]
    public void A_message_over_TLS_carries_the_TLS_details_in_its_envelope()
    {
        var driver = Driver().Send("EHLO c.test\r\nSTARTTLS\r\n");
        driver.Record(driver.Session.TlsStarted(Tls13));

        driver.Send("EHLO c.test\r\nMAIL FROM:<a@sender.test>\r\nRCPT TO:<b@mx.test>\r\nDATA\r\nSubject: s\r\n\r\nx\r\n.\r\n");

        Assert.Equal(Tls13, driver.Envelopes.Single().Tls);
    }

    [Fact]
    public void On_an_implicit_TLS_listener_the_session_is_secure_from_the_greeting()
    {
        var driver = new SmtpTestDriver(new SmtpOptions { HostName = SmtpTestDriver.Host, TlsAvailable = true }, start: false);
        driver.Record(driver.Session.TlsStarted(Tls13));
        driver.Record(driver.Session.Start());

        driver.Send("EHLO c.test\r\n");

        Assert.Equal(["220", "250"], driver.Codes);
        Assert.DoesNotContain("STARTTLS", driver.Wire, StringComparison.Ordinal);
        Assert.True(driver.Session.Secure);
    }
}
