using System.Net;
using System.Text;
using MailIngest.Actors.Transport;
using static MailIngest.Testing.ProxyHeaders;

namespace MailIngest.Actors.Specs.Transport;

public sealed class ProxyHeaderSpecs
{
    private static (ProxyParseStatus Status, int Length, IPAddress? Source) Parse(byte[] input) =>
        (ProxyHeader.TryParse(input, out var length, out var source), length, source);

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 56324 25\r\n", "203.0.113.7")]
    [InlineData("PROXY TCP6 2001:db8::7 2001:db8::1 56324 25\r\n", "2001:db8::7")]
    public void Version_1_names_the_client(string header, string client)
    {
        var bytes = Encoding.ASCII.GetBytes(header + "EHLO x\r\n");

        var (status, length, source) = Parse(bytes);

        Assert.Equal(ProxyParseStatus.Done, status);
        Assert.Equal(header.Length, length);
        Assert.Equal(IPAddress.Parse(client), source);
    }

    [Fact]
    public void Version_1_UNKNOWN_is_complete_and_names_no_client()
    {
        Assert.Equal((ProxyParseStatus.Done, 15, null), Parse("PROXY UNKNOWN\r\nEHLO"u8.ToArray()));
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 56324 25\n")]
    [InlineData("PROXY TCP4 2001:db8::7 10.0.0.1 56324 25\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 99999 25\r\n")]
    [InlineData("PROXY TCP4 203.0.113.7 10.0.0.1 25\r\n")]
    [InlineData("PROXY UDP4 203.0.113.7 10.0.0.1 1 25\r\n")]
    [InlineData("EHLO client.example\r\n")]
    [InlineData("PROXYTCP4\r\n")]
    public void Anything_else_is_invalid(string header)
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(Encoding.ASCII.GetBytes(header)).Status);
    }

    [Fact]
    public void A_version_1_line_without_its_end_within_107_octets_is_invalid_before_that_it_needs_more()
    {
        Assert.Equal(ProxyParseStatus.NeedMore, Parse("PROXY TCP4 203.0.1"u8.ToArray()).Status);
        Assert.Equal(ProxyParseStatus.NeedMore, Parse("PRO"u8.ToArray()).Status);
        Assert.Equal(ProxyParseStatus.Invalid, Parse(Encoding.ASCII.GetBytes("PROXY " + new string('1', 120))).Status);
    }

    [Fact]
    public void Version_2_PROXY_over_TCP4_and_TCP6_names_the_client_and_skips_TLVs()
    {
        var four = Version2(1, 0x11, [.. Tcp4("198.51.100.9"), 0x04, 0x00, 0x01, 0xAA]);
        var six = Version2(1, 0x21, [.. IPAddress.Parse("2001:db8::9").GetAddressBytes(), .. new byte[16], 0, 1, 0, 25]);

        Assert.Equal((ProxyParseStatus.Done, four.Length, IPAddress.Parse("198.51.100.9")), Parse([.. four, .. "EHLO"u8.ToArray()]));
        Assert.Equal((ProxyParseStatus.Done, six.Length, IPAddress.Parse("2001:db8::9")), Parse(six));
    }

    [Fact]
    public void Version_2_LOCAL_is_complete_and_names_no_client()
    {
        var local = Version2(0, 0x00, []);

        Assert.Equal((ProxyParseStatus.Done, 16, null), Parse(local));
    }

    [Fact]
    public void Version_2_split_anywhere_needs_more_until_complete()
    {
        var header = Version2(1, 0x11, Tcp4("198.51.100.9"));
        for (var cut = 1; cut < header.Length; cut++)
            Assert.Equal(ProxyParseStatus.NeedMore, Parse(header[..cut]).Status);
    }

    [Theory]
    [InlineData(0x31, 1)]
    [InlineData(0x11, 3)]
    public void Version_2_with_a_bad_command_or_an_unsupported_family_is_invalid(byte family, int command)
    {
        Assert.Equal(ProxyParseStatus.Invalid, Parse(Version2(command, family, Tcp4("198.51.100.9"))).Status);
    }

    [Fact]
    public void Version_2_with_a_wrong_signature_or_an_oversized_length_is_invalid()
    {
        var header = Version2(1, 0x11, Tcp4("198.51.100.9"));
        header[5] = (byte)'X';
        Assert.Equal(ProxyParseStatus.Invalid, Parse(header).Status);
        var oversized = Version2(1, 0x11, []);
        (oversized[14], oversized[15]) = (0xFF, 0xFF);
        Assert.Equal(ProxyParseStatus.Invalid, Parse(oversized).Status);
    }
}
