using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Milter;

/// <summary>
/// The rules of one milter conversation, without the socket: what each reply means at each step, which
/// modifications are allowed, what a refusal at RCPT refuses, and what a failure comes to under the milter's
/// <see cref="MilterFailurePolicy"/>. The client feeds it every reply and does what <see cref="Receive"/> says.
/// </summary>
public sealed class MilterTranscript(string name, MilterFailurePolicy failurePolicy)
{
    private readonly List<MilterReply> _edits = [];
    private readonly List<RefusedRecipient> _refused = [];
    private MilterActions _allowed;
    private bool _endedWithContinue;

    /// <summary>The milter's configured name.</summary>
    public string Name { get; } = name;

    /// <summary>What the milter decided (accept until it says otherwise).</summary>
    public FilterAction Action { get; private set; } = FilterAction.Accept;

    /// <summary>The reply for <see cref="FilterAction.Reject"/> and <see cref="FilterAction.TempFail"/>.</summary>
    public SmtpReply? Reply { get; private set; }

    /// <summary>Header and envelope changes, in the order the milter asked for them.</summary>
    public IReadOnlyList<MilterReply> Edits => _edits;

    /// <summary>Recipients the milter refused at RCPT, with the reply it gave.</summary>
    public IReadOnlyList<RefusedRecipient> RefusedRecipients => _refused;

    /// <summary>Why the message was quarantined; null when it was not.</summary>
    public string? QuarantineReason { get; private set; }

    /// <summary>How the milter failed (e.g. "timeout", "connect", "protocol: ..."), when it did; the policy then decided.</summary>
    public string? Failure { get; private set; }

    /// <summary>
    /// True when SMFIC_QUIT_NC may end this session and a new one start at CONNECT on the same connection: the milter
    /// ended the message with CONTINUE and takes CONNECT. After any other final answer libmilter's state machine is
    /// back at HELO, where it ignores QUIT_NC and the CONNECT after it (the next message would wait out the command
    /// timeout); and a milter that skips CONNECT builds its per-connection state at negotiation (pymilter creates its
    /// filter object there), which QUIT_NC has just torn down.
    /// </summary>
    public bool OpenForNextSession => _endedWithContinue && Sends(MilterStage.Connect);

    /// <summary>The milter's negotiated steps (what to skip, what it does not answer).</summary>
    public MilterProtocol Protocol { get; private set; }

    /// <summary>True once the milter asked for header values with their leading space.</summary>
    public bool LeadingSpace => Protocol.HasFlag(MilterProtocol.HeaderLeadingSpace);

    /// <summary>
    /// Takes the answer to SMFIC_OPTNEG. False (and a failure) when it is no negotiation, an old version (before 2,
    /// which had no negotiation of steps), or asks for protocol steps the client did not offer (they change what is
    /// sent and answered). Actions beyond the offer are not granted but do not fail it: rspamd, for one, announces
    /// every action it knows, body replacement included, whatever it is offered; one it then takes fails the milter.
    /// </summary>
    public bool Negotiate(MilterReply reply)
    {
        if (reply is not MilterReply.Negotiated negotiated)
            return FailProtocol(reply is MilterReply.Invalid invalid ? invalid.Reason : "no answer to the option negotiation");
        if (negotiated.Version is < 2 or > MilterPacket.Version)
            return FailProtocol($"protocol version {negotiated.Version} (2 to {MilterPacket.Version} are spoken)");
        if ((negotiated.Protocol & ~MilterProtocol.Offered) != 0)
            return FailProtocol($"protocol steps 0x{(uint)(negotiated.Protocol & ~MilterProtocol.Offered):x} were asked for and are not offered");
        _allowed = negotiated.Actions & MilterActions.Supported;
        Protocol = negotiated.Protocol;
        return true;
    }

    /// <summary>True when the milter wants <paramref name="stage"/> sent.</summary>
    public bool Sends(MilterStage stage) => !Declined(stage switch
    {
        MilterStage.Connect => MilterProtocol.NoConnect,
        MilterStage.Helo => MilterProtocol.NoHelo,
        MilterStage.Mail => MilterProtocol.NoMail,
        MilterStage.Recipient => MilterProtocol.NoRecipient,
        MilterStage.Data => MilterProtocol.NoData,
        MilterStage.Header => MilterProtocol.NoHeaders,
        MilterStage.EndOfHeaders => MilterProtocol.NoEndOfHeaders,
        MilterStage.Body => MilterProtocol.NoBody,
        _ => MilterProtocol.None,
    });

    /// <summary>True when the milter answers <paramref name="stage"/> (it may have negotiated silence).</summary>
    public bool Answers(MilterStage stage) => !Declined(stage switch
    {
        MilterStage.Connect => MilterProtocol.NoConnectReply,
        MilterStage.Helo => MilterProtocol.NoHeloReply,
        MilterStage.Mail => MilterProtocol.NoMailReply,
        MilterStage.Recipient => MilterProtocol.NoRecipientReply,
        MilterStage.Data => MilterProtocol.NoDataReply,
        MilterStage.Header => MilterProtocol.NoHeaderReply,
        MilterStage.EndOfHeaders => MilterProtocol.NoEndOfHeadersReply,
        MilterStage.Body => MilterProtocol.NoBodyReply,
        _ => MilterProtocol.None,
    });

    // HasFlag(None) is true: end of message, which no flag skips, must never count as declined.
    private bool Declined(MilterProtocol flag) => flag != MilterProtocol.None && Protocol.HasFlag(flag);

    /// <summary>Takes the milter's reply to <paramref name="stage"/> (<paramref name="recipient"/>: the RCPT's address).</summary>
    public MilterStep Receive(MilterStage stage, MilterReply reply, string? recipient = null)
    {
        switch (reply)
        {
            case MilterReply.Continue when stage == MilterStage.EndOfMessage:
                _endedWithContinue = true;
                return MilterStep.Done;
            case MilterReply.Continue:
                return MilterStep.Next;
            case MilterReply.Accept:
                return MilterStep.Done;
            case MilterReply.Progress:
                return MilterStep.ReadMore;
            case MilterReply.Skip when stage == MilterStage.Body && Protocol.HasFlag(MilterProtocol.Skip):
                return MilterStep.SkipBody;
            case MilterReply.Reject:
                return Refuse(stage, recipient, new SmtpReply(550, "5.7.1", "Refused by content filter"));
            case MilterReply.TempFail:
                return Refuse(stage, recipient, new SmtpReply(451, "4.7.1", "Deferred by content filter; try again later"));
            case MilterReply.ReplyCode code:
                return Refuse(stage, recipient, code.Reply);
            case MilterReply.Discard:
                Decide(FilterAction.Discard, null);
                return MilterStep.Done;
            case MilterReply.Quarantine quarantine when stage == MilterStage.EndOfMessage && _allowed.HasFlag(MilterActions.Quarantine):
                QuarantineReason = quarantine.Reason;
                Action = FilterAction.Quarantine;
                return MilterStep.ReadMore;
            case MilterReply.AddHeader or MilterReply.InsertHeader or MilterReply.ChangeHeader or MilterReply.AddRecipient
                or MilterReply.DeleteRecipient or MilterReply.ChangeSender when stage == MilterStage.EndOfMessage:
                if ((_allowed & Needs(reply)) == 0) return FailDone($"protocol: {reply.GetType().Name} without having negotiated it");
                _edits.Add(reply);
                return MilterStep.ReadMore;
            case MilterReply.Invalid invalid:
                return FailDone($"protocol: {invalid.Reason}");
            default:
                return FailDone($"protocol: {reply.GetType().Name} is not an answer to {stage}");
        }
    }

    /// <summary>
    /// The milter failed (<paramref name="failure"/>: "connect", "timeout", "closed", "protocol: ..."): its edits are
    /// dropped, and the failure policy decides the message.
    /// </summary>
    public void Fail(string failure)
    {
        Failure ??= failure;
        _edits.Clear();
        _refused.Clear();
        QuarantineReason = null;
        switch (failurePolicy)
        {
            case MilterFailurePolicy.Accept:
                Decide(FilterAction.Accept, null);
                break;
            case MilterFailurePolicy.Reject:
                Decide(FilterAction.Reject, new SmtpReply(550, "5.7.1", "Refused: content filter unavailable"));
                break;
            default:
                Decide(FilterAction.TempFail, new SmtpReply(451, "4.7.1", "Content filter unavailable; try again later"));
                break;
        }
    }

    private MilterStep Refuse(MilterStage stage, string? recipient, SmtpReply reply)
    {
        if (stage == MilterStage.Recipient && recipient is not null)
        {
            _refused.Add(new RefusedRecipient(recipient, reply));
            return MilterStep.Next;
        }

        Decide(reply.Code >= 500 ? FilterAction.Reject : FilterAction.TempFail, reply);
        return MilterStep.Done;
    }

    private void Decide(FilterAction action, SmtpReply? reply)
    {
        Action = action;
        Reply = reply;
    }

    private MilterStep FailDone(string failure)
    {
        Fail(failure);
        return MilterStep.Done;
    }

    private bool FailProtocol(string reason)
    {
        Fail($"protocol: {reason}");
        return false;
    }

    private static MilterActions Needs(MilterReply edit) => edit switch
    {
        MilterReply.AddHeader or MilterReply.InsertHeader => MilterActions.AddHeaders,
        MilterReply.ChangeHeader => MilterActions.ChangeHeaders,
        MilterReply.AddRecipient => MilterActions.AddRecipients | MilterActions.AddRecipientsWithParameters,
        MilterReply.DeleteRecipient => MilterActions.DeleteRecipients,
        _ => MilterActions.ChangeSender,
    };
}
