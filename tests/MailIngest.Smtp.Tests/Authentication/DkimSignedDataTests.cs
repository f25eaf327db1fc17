using System.Text;
using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

/// <summary>The header data a DKIM signature covers (RFC 6376 §3.7), with §3.4.5's canonicalization example.</summary>
public sealed class DkimSignedDataTests
{
    private static (byte[], byte[]) Field(string name, string value) => (Encoding.Latin1.GetBytes(name), Encoding.Latin1.GetBytes(value));

    private static readonly (byte[], byte[])[] Example =
    [
        Field("A", " X\r\n"),
        Field("B ", " Y\t\r\n\tZ  \r\n"),
        Field("DKIM-Signature", " v=1; h=a:b; bh=abc=;\r\n\tb=dGVzdA\r\n\t==; d=x.example\r\n"),
    ];

    [Fact]
    public void Relaxed_lower_cases_names_unfolds_and_squeezes_white_space_as_in_section_3_4_5() =>
        Assert.Equal("a:X\r\nb:Y Z\r\ndkim-signature:v=1; h=a:b; bh=abc=; b=; d=x.example",
            Encoding.Latin1.GetString(DkimSignedData.Of(Example, 2, ["a", "b"], relaxed: true)));

    [Fact]
    public void Simple_keeps_every_octet_of_the_fields_and_only_the_b_value_goes() =>
        Assert.Equal("A: X\r\nB : Y\t\r\n\tZ  \r\nDKIM-Signature: v=1; h=a:b; bh=abc=;\r\n\tb=; d=x.example",
            Encoding.Latin1.GetString(DkimSignedData.Of(Example, 2, ["a", "b"], relaxed: false)));

    [Fact]
    public void A_name_listed_twice_takes_instances_from_the_bottom_and_a_missing_one_adds_nothing()
    {
        (byte[], byte[])[] fields = [Field("Received", " first\r\n"), Field("Received", " second\r\n"), Field("DKIM-Signature", " b=x\r\n")];

        Assert.Equal("received:second\r\nreceived:first\r\ndkim-signature:b=",
            Encoding.Latin1.GetString(DkimSignedData.Of(fields, 2, ["received", "received", "received", "subject"], relaxed: true)));
    }
}
