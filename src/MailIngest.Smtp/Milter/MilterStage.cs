namespace MailIngest.Smtp.Milter;

/// <summary>The step of the conversation a milter's reply answers.</summary>
public enum MilterStage
{
    /// <summary>SMFIC_CONNECT.</summary>
    Connect,

    /// <summary>SMFIC_HELO.</summary>
    Helo,

    /// <summary>SMFIC_MAIL.</summary>
    Mail,

    /// <summary>SMFIC_RCPT: a refusal here refuses that recipient only.</summary>
    Recipient,

    /// <summary>SMFIC_DATA.</summary>
    Data,

    /// <summary>SMFIC_HEADER.</summary>
    Header,

    /// <summary>SMFIC_EOH.</summary>
    EndOfHeaders,

    /// <summary>SMFIC_BODY: SKIP is allowed here.</summary>
    Body,

    /// <summary>SMFIC_BODYEOB: modifications come here, before the final reply.</summary>
    EndOfMessage,
}
