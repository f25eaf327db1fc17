namespace MailIngest.Smtp.Milter;

/// <summary>What the client does after a milter's reply.</summary>
public enum MilterStep
{
    /// <summary>Send the next command.</summary>
    Next,

    /// <summary>Read another reply to the same command (a modification, a progress note).</summary>
    ReadMore,

    /// <summary>Send no more body chunks; go on with end of message.</summary>
    SkipBody,

    /// <summary>The milter has decided (or failed); send nothing more but QUIT.</summary>
    Done,
}
