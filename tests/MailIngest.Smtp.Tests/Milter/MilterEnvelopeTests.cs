using System.Net;
using MailIngest.Smtp.Milter;
using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Tests.Milter;

public sealed class MilterEnvelopeTests
{
    private static readonly Envelope Original = new("client.test", true, new ConnectionInfo(IPAddress.Loopback, true), "s@x.test",
        [new MailboxAddress("A@y.test", "a@y.test"), new MailboxAddress("b@y.test", "b@y.test")], false, null);

    private static MilterTranscript With(params MilterReply[] edits)
    {
        var transcript = new MilterTranscript("t", MilterFailurePolicy.TempFail);
        transcript.Negotiate(new MilterReply.Negotiated(6, MilterActions.Supported, MilterProtocol.None));
        foreach (var edit in edits) transcript.Receive(MilterStage.EndOfMessage, edit);
        return transcript;
    }

    [Fact]
    public void Sender_and_recipients_change_in_the_order_asked_for()
    {
        var first = With(new MilterReply.AddRecipient("<c@y.test>"), new MilterReply.DeleteRecipient("<a@Y.test>"));
        var second = With(new MilterReply.ChangeSender("<new@x.test>"), new MilterReply.AddRecipient("<C@y.test>"));

        var envelope = MilterEnvelope.Apply(Original, [first, second], out var skipped);

        Assert.Equal("new@x.test", envelope.ReversePath);
        Assert.Equal(["b@y.test", "c@y.test"], envelope.Recipients.Select(r => r.Normalized));
        Assert.Empty(skipped);
    }

    [Fact]
    public void An_address_that_is_no_mailbox_is_skipped_and_named_and_the_null_sender_is_allowed()
    {
        var transcript = With(new MilterReply.AddRecipient("<not an address>"), new MilterReply.ChangeSender("<>"));

        var envelope = MilterEnvelope.Apply(Original, [transcript], out var skipped);

        Assert.Equal(2, envelope.Recipients.Count);
        Assert.Equal("", envelope.ReversePath);
        Assert.Equal(["<not an address>"], skipped);
    }
}
