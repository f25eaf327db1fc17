using System.Security.Cryptography;
using System.Text;
using MailIngest.Smtp.Authentication;

namespace MailIngest.Smtp.Tests.Authentication;

/// <summary>Body canonicalization and hash (RFC 6376 §3.4.3, §3.4.4, §3.5 l=), with §3.4.5's example.</summary>
public sealed class DkimBodyHashTests
{
    private static async Task<byte[]> HashAsync(string body, bool relaxed, long? length = null) =>
        await DkimBodyHash.ComputeAsync(new MemoryStream(Encoding.Latin1.GetBytes(body)), relaxed, length, CancellationToken.None);

    private static byte[] Sha256(string canonical) => SHA256.HashData(Encoding.Latin1.GetBytes(canonical));

    [Theory]
    [InlineData(false, " C \r\nD \t E\r\n")]
    [InlineData(true, " C\r\nD E\r\n")]
    public async Task Section_3_4_5s_example_body(bool relaxed, string canonical) =>
        Assert.Equal(Sha256(canonical), await HashAsync(" C \r\nD \t E\r\n\r\n\r\n", relaxed));

    [Fact]
    public async Task An_empty_body_is_one_CRLF_in_simple_and_nothing_in_relaxed()
    {
        Assert.Equal(Sha256("\r\n"), await HashAsync("", relaxed: false));
        Assert.Equal(Sha256("\r\n"), await HashAsync("\r\n\r\n", relaxed: false));
        Assert.Equal(Sha256(""), await HashAsync("", relaxed: true));
        Assert.Equal(Sha256(""), await HashAsync(" \r\n\t\r\n", relaxed: true));
    }

    [Fact]
    public async Task A_last_line_without_CRLF_gets_one_and_empty_lines_inside_stay()
    {
        Assert.Equal(Sha256("a\r\n\r\nb\r\n"), await HashAsync("a\r\n\r\nb", relaxed: false));
        Assert.Equal(Sha256("a\r\n\r\nb\r\n"), await HashAsync("a \r\n\r\nb \t", relaxed: true));
    }

    [Fact]
    public async Task l_counts_octets_of_the_canonical_body() =>
        Assert.Equal(Sha256("hello\r\nwo"), await HashAsync("hello  \r\nworld\r\n", relaxed: true, length: 9));
}
