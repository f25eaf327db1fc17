namespace MailIngest.Smtp.Milter;

/// <summary>
/// The modifications a milter may make (libmilter's SMFIF_* flags, mfapi.h). The client offers what it can carry
/// out; a milter that asks for more is refused at negotiation.
/// </summary>
[Flags]
public enum MilterActions : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SMFIF_ADDHDRS: add (and insert) header fields.</summary>
    AddHeaders = 0x01,

    /// <summary>SMFIF_CHGBODY: replace the body. Never offered: a filter marks or refuses mail, it does not rewrite it.</summary>
    ChangeBody = 0x02,

    /// <summary>SMFIF_ADDRCPT: add recipients.</summary>
    AddRecipients = 0x04,

    /// <summary>SMFIF_DELRCPT: remove recipients.</summary>
    DeleteRecipients = 0x08,

    /// <summary>SMFIF_CHGHDRS: change or delete header fields.</summary>
    ChangeHeaders = 0x10,

    /// <summary>SMFIF_QUARANTINE: quarantine the message.</summary>
    Quarantine = 0x20,

    /// <summary>SMFIF_CHGFROM: change the envelope sender.</summary>
    ChangeSender = 0x40,

    /// <summary>SMFIF_ADDRCPT_PAR: add recipients with ESMTP parameters (the parameters are not kept).</summary>
    AddRecipientsWithParameters = 0x80,

    /// <summary>SMFIF_SETSYMLIST: choose the macros per stage (the client sends the same few macros regardless).</summary>
    SetMacroList = 0x100,

    /// <summary>Everything this client carries out.</summary>
    Supported = AddHeaders | AddRecipients | DeleteRecipients | ChangeHeaders | Quarantine | ChangeSender
                | AddRecipientsWithParameters | SetMacroList,
}
