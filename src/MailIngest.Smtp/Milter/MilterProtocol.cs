namespace MailIngest.Smtp.Milter;

/// <summary>
/// The steps a milter may skip or leave unanswered (libmilter's SMFIP_* flags, mfdef.h). The client offers them
/// all; the milter's reply says which it wants, and the client then neither sends the skipped steps nor waits for
/// the replies a milter declined to give.
/// </summary>
[Flags]
public enum MilterProtocol : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SMFIP_NOCONNECT.</summary>
    NoConnect = 0x1,

    /// <summary>SMFIP_NOHELO.</summary>
    NoHelo = 0x2,

    /// <summary>SMFIP_NOMAIL.</summary>
    NoMail = 0x4,

    /// <summary>SMFIP_NORCPT.</summary>
    NoRecipient = 0x8,

    /// <summary>SMFIP_NOBODY.</summary>
    NoBody = 0x10,

    /// <summary>SMFIP_NOHDRS.</summary>
    NoHeaders = 0x20,

    /// <summary>SMFIP_NOEOH.</summary>
    NoEndOfHeaders = 0x40,

    /// <summary>SMFIP_NR_HDR: no reply to a header.</summary>
    NoHeaderReply = 0x80,

    /// <summary>SMFIP_NOUNKNOWN.</summary>
    NoUnknown = 0x100,

    /// <summary>SMFIP_NODATA.</summary>
    NoData = 0x200,

    /// <summary>SMFIP_SKIP: the milter may answer a body chunk with SKIP.</summary>
    Skip = 0x400,

    /// <summary>SMFIP_RCPT_REJ: also send recipients the server rejected (it sends none: those never reach a filter).</summary>
    RejectedRecipients = 0x800,

    /// <summary>SMFIP_NR_CONN.</summary>
    NoConnectReply = 0x1000,

    /// <summary>SMFIP_NR_HELO.</summary>
    NoHeloReply = 0x2000,

    /// <summary>SMFIP_NR_MAIL.</summary>
    NoMailReply = 0x4000,

    /// <summary>SMFIP_NR_RCPT.</summary>
    NoRecipientReply = 0x8000,

    /// <summary>SMFIP_NR_DATA.</summary>
    NoDataReply = 0x10000,

    /// <summary>SMFIP_NR_UNKN.</summary>
    NoUnknownReply = 0x20000,

    /// <summary>SMFIP_NR_EOH.</summary>
    NoEndOfHeadersReply = 0x40000,

    /// <summary>SMFIP_NR_BODY.</summary>
    NoBodyReply = 0x80000,

    /// <summary>SMFIP_HDR_LEADSPC: header values keep their leading space, in both directions.</summary>
    HeaderLeadingSpace = 0x100000,

    /// <summary>Everything the client honours.</summary>
    Offered = NoConnect | NoHelo | NoMail | NoRecipient | NoBody | NoHeaders | NoEndOfHeaders | NoHeaderReply
              | NoUnknown | NoData | Skip | RejectedRecipients | NoConnectReply | NoHeloReply | NoMailReply
              | NoRecipientReply | NoDataReply | NoUnknownReply | NoEndOfHeadersReply | NoBodyReply | HeaderLeadingSpace,
}
