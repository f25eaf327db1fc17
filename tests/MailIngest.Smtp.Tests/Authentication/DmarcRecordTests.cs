using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

public sealed class DmarcRecordTests
{
    [Fact]
    public void Parse_reads_every_policy_tag()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; sp=quarantine; pct=25; adkim=s; aspf=s; rua=mailto:d@example.com");

        Assert.Equal(new DmarcRecord(DmarcPolicy.Reject, DmarcPolicy.Quarantine, 25, DmarcAlignment.Strict, DmarcAlignment.Strict), record);
    }

    [Fact]
    public void Parse_defaults_to_pct_100_and_relaxed_alignment_without_sp()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=none");

        Assert.Equal(new DmarcRecord(DmarcPolicy.None, null, 100, DmarcAlignment.Relaxed, DmarcAlignment.Relaxed), record);
    }

    [Theory]
    [InlineData("v = DMARC1 ;P = Quarantine ; ADKIM=S;")]
    [InlineData("V=DMARC1;\tp=QUARANTINE;adkim = s ; ")]
    public void Parse_tolerates_whitespace_and_case_in_tag_names_and_keywords(string txt)
    {
        var record = DmarcRecord.Parse(txt);

        Assert.Equal(DmarcPolicy.Quarantine, record?.Policy);
        Assert.Equal(DmarcAlignment.Strict, record?.DkimAlignment);
    }

    [Theory]
    [InlineData("p=reject; v=DMARC1")]
    [InlineData("v=DMARC2; p=reject")]
    [InlineData("v=dmarc1; p=reject")]
    [InlineData("v=spf1 -all")]
    [InlineData("v=DMARC1 p=reject")]
    [InlineData("")]
    public void Parse_returns_null_when_v_DMARC1_is_not_the_first_tag(string txt)
    {
        Assert.Null(DmarcRecord.Parse(txt));
    }

    [Theory]
    [InlineData("v=DMARC1")]
    [InlineData("v=DMARC1; p=deny")]
    [InlineData("v=DMARC1; p=reject; sp=deny")]
    [InlineData("v=DMARC1; p=bogus; rua=not a uri")]
    public void Parse_returns_null_for_an_invalid_policy_without_rua(string txt)
    {
        Assert.Null(DmarcRecord.Parse(txt));
    }

    [Theory]
    [InlineData("v=DMARC1; p=deny; rua=mailto:dmarc@example.com")]
    [InlineData("v=DMARC1; rua=mailto:dmarc@example.com!10m")]
    [InlineData("v=DMARC1; p=reject; sp=deny; rua=bad, mailto:dmarc@example.com")]
    public void Parse_acts_as_p_none_for_an_invalid_policy_with_a_valid_rua(string txt)
    {
        var record = DmarcRecord.Parse(txt);

        Assert.Equal(new DmarcRecord(DmarcPolicy.None, null, 100, DmarcAlignment.Relaxed, DmarcAlignment.Relaxed), record);
    }

    [Theory]
    [InlineData("pct=101")]
    [InlineData("pct=-5")]
    [InlineData("pct=half")]
    [InlineData("adkim=x; aspf=")]
    [InlineData("bogus=1; fo=1; rf=afrf; ri=86400; ruf=mailto:f@example.com")]
    [InlineData("no-equals-sign")]
    public void Parse_falls_back_to_defaults_for_malformed_or_unknown_tags(string tail)
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; " + tail);

        Assert.Equal(new DmarcRecord(DmarcPolicy.Reject, null, 100, DmarcAlignment.Relaxed, DmarcAlignment.Relaxed), record);
    }

    [Fact]
    public void Parse_keeps_pct_0()
    {
        Assert.Equal(0, DmarcRecord.Parse("v=DMARC1; p=reject; pct=0")?.Percent);
    }

    [Fact]
    public void Parse_keeps_the_first_of_a_repeated_tag()
    {
        Assert.Equal(DmarcPolicy.Reject, DmarcRecord.Parse("v=DMARC1; p=reject; p=none")?.Policy);
    }
}
