using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

/// <summary>The Authentication-Results field we prepend (RFC 8601 §2.2) and the recognition of one naming us (§5).</summary>
public sealed class AuthenticationResultsHeaderTests
{
    private static readonly MessageAuthentication AllPass = new(
        new SpfVerdict(AuthResult.Pass, "sender.example", null),
        [new DkimVerdict(AuthResult.Pass, "sender.example", "sel", null, "abcd1234")],
        new DmarcVerdict(AuthResult.Pass, "sender.example", "reject", null, "SPF passed for aligned sender.example"),
        AuthResult.None);

    [Fact]
    public void Every_result_is_a_resinfo_with_its_properties_after_the_authserv_id()
    {
        var field = AuthenticationResultsHeader.Build("mx.example.com", AllPass, nullSender: false);

        Assert.Equal(
            "Authentication-Results: mx.example.com;\r\n" +
            "\tspf=pass smtp.mailfrom=sender.example;\r\n" +
            "\tdkim=pass header.d=sender.example header.s=sel header.b=abcd1234;\r\n" +
            "\tdmarc=pass (p=reject) header.from=sender.example;\r\n" +
            "\tarc=none\r\n", field);
    }

    [Fact]
    public void A_failed_check_says_why_in_a_comment_and_a_null_sender_is_checked_as_smtp_helo()
    {
        var verdict = AllPass with
        {
            Spf = new SpfVerdict(AuthResult.SoftFail, "helo.example", "matched ~all"),
            Dkim =
            [
                new DkimVerdict(AuthResult.Fail, "sender.example", "sel", "body hash mismatch", "ab/c+d=1"),
                new DkimVerdict(AuthResult.PermError, "other.example", "s2", "no key (or (so) it seems)", "zz"),
            ],
            Dmarc = new DmarcVerdict(AuthResult.None, "sender.example", null, null, "no DMARC record"),
        };

        var field = AuthenticationResultsHeader.Build("mx.test", verdict, nullSender: true);

        Assert.Contains("spf=softfail (matched ~all) smtp.helo=helo.example;", field);
        // A base64 prefix with "/" or "=" is quoted (RFC 8601 §2.2: value is a token or a quoted string).
        Assert.Contains("dkim=fail (body hash mismatch) header.d=sender.example header.s=sel header.b=\"ab/c+d=1\";", field);
        // Parentheses inside a comment would end it early: they go.
        Assert.Contains("dkim=permerror (no key or so it seems) header.d=other.example", field);
        Assert.Contains("dmarc=none (no DMARC record) header.from=sender.example;", field);
    }

    [Fact]
    public void An_unsigned_message_has_dkim_none_and_a_message_without_From_no_header_from()
    {
        var verdict = AllPass with { Dkim = [], Dmarc = new DmarcVerdict(AuthResult.None, "", null, null, "no From address") };

        var field = AuthenticationResultsHeader.Build("mx.test", verdict, nullSender: false);

        Assert.Contains("\tdkim=none;\r\n", field);
        Assert.Contains("\tdmarc=none (no From address);\r\n", field);
    }

    [Theory]
    [InlineData(" mx.test; spf=pass smtp.mailfrom=a.example", true)]
    [InlineData("MX.TEST; dkim=pass", true)]
    [InlineData("(forged by a sender) mx.test 1; dkim=pass", true)]
    [InlineData("\"mx.test\"; none", true)]
    [InlineData("mx.test", true)]
    [InlineData("mx.other.example; dkim=pass header.d=mx.test", false)]
    [InlineData("mx.test.evil.example; dkim=pass", false)]
    [InlineData("", false)]
    public void A_received_field_claims_our_authserv_id_only_as_its_first_token(string value, bool claims) =>
        Assert.Equal(claims, AuthenticationResultsHeader.Claims(value, "mx.test"));
}
