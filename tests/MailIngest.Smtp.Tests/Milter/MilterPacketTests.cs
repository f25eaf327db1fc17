using System.Net;
using System.Text;
using MailIngest.Smtp.Milter;

namespace MailIngest.Smtp.Tests.Milter;

public sealed class MilterPacketTests
{
    [Fact]
    public void Negotiation_is_version_6_with_the_actions_and_steps_offered_big_endian()
    {
        var packet = MilterPacket.Negotiate(MilterActions.AddHeaders | MilterActions.Quarantine, MilterProtocol.NoConnect | MilterProtocol.Skip);

        Assert.Equal(new byte[] { 0, 0, 0, 13, (byte)'O', 0, 0, 0, 6, 0, 0, 0, 0x21, 0, 0, 0x04, 0x01 }, packet);
    }

    [Fact]
    public void Connect_carries_name_family_port_and_address_each_string_nul_terminated()
    {
        var packet = MilterPacket.Connect("unknown", IPAddress.Parse("192.0.2.7"), 25);

        Assert.Equal("\0\0\0\u0016Cunknown\u00004\u0000\u0019192.0.2.7\0", Encoding.ASCII.GetString(packet));
    }

    [Fact]
    public void An_ipv4_mapped_client_is_sent_as_ipv4_and_an_ipv6_one_as_family_6()
    {
        var mapped = Encoding.ASCII.GetString(MilterPacket.Connect("unknown", IPAddress.Parse("::ffff:192.0.2.7"), 0));
        var v6 = Encoding.ASCII.GetString(MilterPacket.Connect("unknown", IPAddress.IPv6Loopback, 0));

        Assert.Contains("unknown\u00004\0\0192.0.2.7\0", mapped);
        Assert.Contains("unknown\u00006\0\0::1\0", v6);
    }

    [Fact]
    public void Macros_name_their_stage_and_alternate_names_and_values()
    {
        var packet = MilterPacket.Macros('M', [new("i", "Q1"), new("{mail_addr}", "a@b")]);

        Assert.Equal("\0\0\0\u0017DMi\0Q1\0{mail_addr}\0a@b\0", Encoding.ASCII.GetString(packet));
    }

    [Fact]
    public void Mail_and_rcpt_put_the_address_in_angle_brackets_and_the_null_sender_is_empty_brackets()
    {
        Assert.EndsWith("M<>\0", Encoding.ASCII.GetString(MilterPacket.Mail("")));
        Assert.EndsWith("R<x@y.test>\0", Encoding.ASCII.GetString(MilterPacket.Recipient("x@y.test")));
    }

    [Fact]
    public void A_body_chunk_larger_than_65535_octets_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MilterPacket.Body(new byte[65536]));
        Assert.Equal(5 + 65535, MilterPacket.Body(new byte[65535]).Length);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0 }, -1)]
    [InlineData(new byte[] { 0x7f, 0xff, 0xff, 0xff }, -1)]
    [InlineData(new byte[] { 0, 0x10, 0, 1 }, -1)]
    [InlineData(new byte[] { 0, 0x10, 0, 0 }, 1024 * 1024)]
    [InlineData(new byte[] { 0, 0, 0, 1 }, 1)]
    public void A_reply_length_of_zero_or_above_a_mebibyte_is_out_of_range(byte[] header, int expected)
    {
        Assert.Equal(expected, MilterPacket.ReadLength(header));
    }
}
