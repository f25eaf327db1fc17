using MailIngest.Smtp.Milter;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Tests.Milter;

public sealed class MilterTranscriptTests
{
    private static MilterTranscript Negotiated(MilterActions actions = MilterActions.Supported, MilterProtocol protocol = MilterProtocol.None,
        MilterFailurePolicy policy = MilterFailurePolicy.TempFail)
    {
        var transcript = new MilterTranscript("test", policy);
        Assert.True(transcript.Negotiate(new MilterReply.Negotiated(6, actions, protocol)));
        return transcript;
    }

    [Fact]
    public void Continue_goes_on_and_at_end_of_message_accepts()
    {
        var transcript = Negotiated();

        Assert.Equal(MilterStep.Next, transcript.Receive(MilterStage.Mail, MilterReply.Continue.Instance));
        Assert.False(transcript.OpenForNextSession);
        Assert.Equal(MilterStep.Done, transcript.Receive(MilterStage.EndOfMessage, MilterReply.Continue.Instance));
        Assert.Equal(FilterAction.Accept, transcript.Action);
        Assert.Null(transcript.Failure);
        Assert.True(transcript.OpenForNextSession);
    }

    [Fact]
    public void Only_CONTINUE_at_end_of_message_leaves_the_connection_open_for_another_session()
    {
        // libmilter goes back to HELO after ACCEPT (or a refusal) and ignores SMFIC_QUIT_NC there; a milter that skips
        // CONNECT would start the next session without its per-connection state.
        var accepted = Negotiated();
        var acceptedEarly = Negotiated();
        var skipsConnect = Negotiated(protocol: MilterProtocol.NoConnect);

        accepted.Receive(MilterStage.EndOfMessage, MilterReply.Accept.Instance);
        acceptedEarly.Receive(MilterStage.Connect, MilterReply.Continue.Instance);
        acceptedEarly.Receive(MilterStage.Mail, MilterReply.Accept.Instance);
        skipsConnect.Receive(MilterStage.EndOfMessage, MilterReply.Continue.Instance);

        Assert.False(accepted.OpenForNextSession);
        Assert.False(acceptedEarly.OpenForNextSession);
        Assert.False(skipsConnect.OpenForNextSession);
    }

    [Fact]
    public void Reject_without_a_code_is_550_5_7_1_and_tempfail_451_4_7_1()
    {
        var rejected = Negotiated();
        var deferred = Negotiated();

        Assert.Equal(MilterStep.Done, rejected.Receive(MilterStage.EndOfMessage, MilterReply.Reject.Instance));
        Assert.Equal(MilterStep.Done, deferred.Receive(MilterStage.Helo, MilterReply.TempFail.Instance));

        Assert.Equal((FilterAction.Reject, 550, "5.7.1"), (rejected.Action, rejected.Reply!.Code, rejected.Reply.EnhancedCode));
        Assert.Equal((FilterAction.TempFail, 451, "4.7.1"), (deferred.Action, deferred.Reply!.Code, deferred.Reply.EnhancedCode));
    }

    [Theory]
    [InlineData(554, FilterAction.Reject)]
    [InlineData(421, FilterAction.TempFail)]
    public void A_reply_code_decides_by_its_class(int code, FilterAction expected)
    {
        var transcript = Negotiated();
        var reply = new SmtpReply(code, null, "filter says so");

        transcript.Receive(MilterStage.EndOfMessage, new MilterReply.ReplyCode(reply));

        Assert.Equal(expected, transcript.Action);
        Assert.Same(reply, transcript.Reply);
    }

    [Fact]
    public void A_refusal_at_rcpt_refuses_that_recipient_only_and_goes_on()
    {
        var transcript = Negotiated();

        var step = transcript.Receive(MilterStage.Recipient, MilterReply.Reject.Instance, "blocked@x.test");

        Assert.Equal(MilterStep.Next, step);
        Assert.Equal(FilterAction.Accept, transcript.Action);
        Assert.Equal("blocked@x.test", Assert.Single(transcript.RefusedRecipients).Address);
    }

    [Fact]
    public void Discard_ends_the_conversation_even_at_rcpt()
    {
        var transcript = Negotiated();

        Assert.Equal(MilterStep.Done, transcript.Receive(MilterStage.Recipient, MilterReply.Discard.Instance, "a@x.test"));
        Assert.Equal(FilterAction.Discard, transcript.Action);
    }

    [Fact]
    public void Modifications_at_end_of_message_are_kept_in_order_until_the_final_reply()
    {
        var transcript = Negotiated();
        MilterReply[] edits = [new MilterReply.AddHeader("X-A", "1"), new MilterReply.AddRecipient("<c@d>"), new MilterReply.ChangeHeader(1, "Subject", "")];

        foreach (var edit in edits) Assert.Equal(MilterStep.ReadMore, transcript.Receive(MilterStage.EndOfMessage, edit));
        Assert.Equal(MilterStep.ReadMore, transcript.Receive(MilterStage.EndOfMessage, MilterReply.Progress.Instance));
        Assert.Equal(MilterStep.Done, transcript.Receive(MilterStage.EndOfMessage, MilterReply.Accept.Instance));

        Assert.Equal(edits, transcript.Edits);
    }

    [Fact]
    public void Quarantine_marks_the_message_and_waits_for_the_final_reply()
    {
        var transcript = Negotiated();

        Assert.Equal(MilterStep.ReadMore, transcript.Receive(MilterStage.EndOfMessage, new MilterReply.Quarantine("spam")));
        transcript.Receive(MilterStage.EndOfMessage, MilterReply.Continue.Instance);

        Assert.Equal((FilterAction.Quarantine, "spam"), (transcript.Action, transcript.QuarantineReason));
    }

    [Fact]
    public void A_modification_not_negotiated_or_before_end_of_message_is_a_protocol_failure()
    {
        var notNegotiated = Negotiated(MilterActions.AddHeaders);
        var tooEarly = Negotiated();

        notNegotiated.Receive(MilterStage.EndOfMessage, new MilterReply.DeleteRecipient("<a@b>"));
        tooEarly.Receive(MilterStage.Header, new MilterReply.AddHeader("X-A", "1"));

        Assert.StartsWith("protocol", notNegotiated.Failure);
        Assert.StartsWith("protocol", tooEarly.Failure);
        Assert.Equal(FilterAction.TempFail, notNegotiated.Action);
    }

    [Fact]
    public void Skip_is_only_an_answer_to_a_body_chunk_when_negotiated()
    {
        Assert.Equal(MilterStep.SkipBody, Negotiated(protocol: MilterProtocol.Skip).Receive(MilterStage.Body, MilterReply.Skip.Instance));
        var without = Negotiated();
        Assert.Equal(MilterStep.Done, without.Receive(MilterStage.Body, MilterReply.Skip.Instance));
        Assert.NotNull(without.Failure);
    }

    [Theory]
    [InlineData(MilterFailurePolicy.TempFail, FilterAction.TempFail, 451)]
    [InlineData(MilterFailurePolicy.Reject, FilterAction.Reject, 550)]
    [InlineData(MilterFailurePolicy.Accept, FilterAction.Accept, null)]
    public void A_failure_drops_what_the_milter_asked_for_and_the_policy_decides(MilterFailurePolicy policy, FilterAction expected, int? code)
    {
        var transcript = Negotiated(policy: policy);
        transcript.Receive(MilterStage.Recipient, MilterReply.Reject.Instance, "a@x.test");
        transcript.Receive(MilterStage.EndOfMessage, new MilterReply.AddHeader("X-A", "1"));

        transcript.Fail("timeout");

        Assert.Equal(expected, transcript.Action);
        Assert.Equal(code, transcript.Reply?.Code);
        Assert.Empty(transcript.Edits);
        Assert.Empty(transcript.RefusedRecipients);
        Assert.Equal("timeout", transcript.Failure);
    }

    [Fact]
    public void Negotiation_refuses_old_versions_and_unknown_steps()
    {
        var old = new MilterTranscript("b", MilterFailurePolicy.TempFail);
        var steps = new MilterTranscript("c", MilterFailurePolicy.TempFail);

        Assert.False(old.Negotiate(new MilterReply.Negotiated(1, MilterActions.None, MilterProtocol.None)));
        Assert.False(steps.Negotiate(new MilterReply.Negotiated(6, MilterActions.None, (MilterProtocol)0x10000000)));
        Assert.Equal(FilterAction.TempFail, old.Action);
        Assert.Contains("protocol steps", steps.Failure);
    }

    [Fact]
    public void Body_replacement_asked_for_is_not_granted_and_taking_it_fails_the_milter()
    {
        // rspamd's answer: every action it knows, body replacement (0x2) among them.
        var transcript = new MilterTranscript("rspamd", MilterFailurePolicy.TempFail);
        Assert.True(transcript.Negotiate(new MilterReply.Negotiated(6, MilterActions.Supported | MilterActions.ChangeBody, MilterProtocol.None)));

        Assert.Equal(MilterStep.ReadMore, transcript.Receive(MilterStage.EndOfMessage, new MilterReply.AddHeader("X-Spam", "Yes")));
        Assert.Equal(MilterStep.Done, transcript.Receive(MilterStage.EndOfMessage, MilterReply.Parse((byte)'b', "new body"u8)));
        Assert.Contains("body replacement", transcript.Failure);
        Assert.Empty(transcript.Edits);
        Assert.Equal(FilterAction.TempFail, transcript.Action);
    }

    [Fact]
    public void Negotiated_steps_say_what_is_sent_and_what_is_answered()
    {
        var transcript = Negotiated(protocol: MilterProtocol.NoConnect | MilterProtocol.NoHeaderReply | MilterProtocol.NoBody);

        Assert.False(transcript.Sends(MilterStage.Connect));
        Assert.False(transcript.Sends(MilterStage.Body));
        Assert.True(transcript.Sends(MilterStage.Header));
        Assert.False(transcript.Answers(MilterStage.Header));
        Assert.True(transcript.Answers(MilterStage.Recipient));
        Assert.True(transcript.Sends(MilterStage.EndOfMessage));
    }
}
