using System.Net;
using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Tests;

public sealed class TraceHeadersTests
{
    private static readonly SmtpOptions Options = new() { HostName = "mx.test", SoftwareVersion = "1.2.3" };
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 5, 7, TimeSpan.FromHours(1));

    private static Envelope Envelope(bool esmtp = true, bool utf8 = false, int recipients = 1, string ip = "192.0.2.10",
        TlsDetails? tls = null) =>
        new(
            "client.test",
            esmtp,
            new ConnectionInfo(IPAddress.Parse(ip), false),
            "alice@sender.test",
            Enumerable.Range(1, recipients).Select(i => new MailboxAddress($"r{i}@mx.test", $"r{i}@mx.test")).ToArray(),
            utf8,
            tls);

    [Fact]
    public void Build_writes_return_path_and_received_with_for_clause_for_single_recipient()
    {
        var headers = TraceHeaders.Build(Envelope(), "Q1", At, Options);

        Assert.Equal(
            "Return-Path: <alice@sender.test>\r\n"
            + "Received: from client.test ([192.0.2.10]) by mx.test (MailIngest 1.2.3)\r\n"
            + "\twith ESMTP id Q1 for <r1@mx.test>; Tue, 3 Nov 2026 09:05:07 +0100\r\n",
            headers);
    }

    [Theory]
    [InlineData(true, false, "ESMTPS")]
    [InlineData(true, true, "UTF8SMTPS")]
    [InlineData(false, false, "SMTPS")]
    public void Build_names_the_protocol_with_S_and_records_protocol_and_cipher_over_tls(bool esmtp, bool utf8, string protocol)
    {
        var headers = TraceHeaders.Build(Envelope(esmtp, utf8, tls: new TlsDetails("TLSv1.3", "TLS_AES_256_GCM_SHA384")), "Q1", At, Options);

        Assert.Contains($"with {protocol}", headers, StringComparison.Ordinal);
        Assert.Contains("(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)", headers, StringComparison.Ordinal);
        Assert.All(headers.Split("\r\n")[..^1], line => Assert.True(line.Length <= 78 || !line.Contains(' ', StringComparison.Ordinal), line));
    }

    [Fact]
    public void Build_omits_for_clause_with_several_recipients()
    {
        var headers = TraceHeaders.Build(Envelope(recipients: 2), "Q1", At, Options);

        Assert.DoesNotContain(" for ", headers, StringComparison.Ordinal);
        Assert.Contains("id Q1;", headers, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, false, "with ESMTP")]
    [InlineData(false, false, "with SMTP")]
    [InlineData(true, true, "with UTF8SMTP")]
    public void Build_uses_rfc_3848_protocol_keyword(bool esmtp, bool utf8, string expected)
    {
        var headers = TraceHeaders.Build(Envelope(esmtp, utf8), "Q1", At, Options);

        Assert.Contains(expected, headers.Replace("\r\n\t", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_writes_ipv6_address_literal()
    {
        var headers = TraceHeaders.Build(Envelope(ip: "2001:db8::1"), "Q1", At, Options);

        Assert.Contains("([IPv6:2001:db8::1])", headers, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_writes_null_reverse_path_as_empty_brackets()
    {
        var headers = TraceHeaders.Build(Envelope() with { ReversePath = string.Empty }, "Q1", At, Options);

        Assert.StartsWith("Return-Path: <>\r\n", headers, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_folds_every_line_under_79_characters_and_ends_with_crlf()
    {
        var envelope = Envelope() with { ClientName = new string('c', 50) + ".test" };

        var headers = TraceHeaders.Build(envelope, "QUEUEID0123456789", At, Options);

        Assert.EndsWith("\r\n", headers, StringComparison.Ordinal);
        Assert.All(headers.Split("\r\n"), line => Assert.True(line.Length <= 78, line));
        Assert.DoesNotContain("\n", headers.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_writes_negative_offset_date()
    {
        var headers = TraceHeaders.Build(Envelope(), "Q1", new DateTimeOffset(2026, 1, 30, 23, 0, 0, TimeSpan.FromHours(-5.5)), Options);

        Assert.EndsWith("Fri, 30 Jan 2026 23:00:00 -0530\r\n", headers, StringComparison.Ordinal);
    }
}
