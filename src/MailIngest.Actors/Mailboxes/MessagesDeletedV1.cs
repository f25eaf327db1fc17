namespace MailIngest.Actors.Mailboxes;

/// <summary>
/// Journal event "mbx.deletion.v1": messages deleted from the mailbox, every one at or below <paramref name="Through"/>
/// (emptying, retention; 0: none) and the one at <paramref name="Message"/> (a message deleted alone; 0: none). Its own
/// sequence number is no message: the listing steps over it as over a deleted message.
/// </summary>
public sealed record MessagesDeletedV1(long Through, long Message) : IMailIngestMessage;
