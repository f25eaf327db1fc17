using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Milter;

/// <summary>
/// The envelope after the milters' changes at end of message: the sender a milter set, recipients added and removed.
/// (A recipient a milter refused at RCPT never got into the envelope.)
/// </summary>
public static class MilterEnvelope
{
    /// <summary>
    /// Applies every transcript's envelope changes in order. An address a milter gives that is not a valid mailbox is
    /// skipped and named in <paramref name="skipped"/>, never stored.
    /// </summary>
    public static Envelope Apply(Envelope envelope, IEnumerable<MilterTranscript> transcripts, out IReadOnlyList<string> skipped)
    {
        var sender = envelope.ReversePath;
        var recipients = envelope.Recipients.ToList();
        var wrong = new List<string>();
        foreach (var transcript in transcripts)
        {
            foreach (var edit in transcript.Edits)
            {
                switch (edit)
                {
                    case MilterReply.ChangeSender change:
                        var path = Unbracket(change.Address);
                        if (path.Length == 0 || MailboxAddress.TryNormalize(path) is not null) sender = path;
                        else wrong.Add(change.Address);
                        break;
                    case MilterReply.AddRecipient add:
                        var address = Unbracket(add.Address);
                        if (MailboxAddress.TryNormalize(address) is { } normalized)
                        {
                            if (recipients.All(r => r.Normalized != normalized)) recipients.Add(new MailboxAddress(address, normalized));
                        }
                        else
                        {
                            wrong.Add(add.Address);
                        }

                        break;
                    case MilterReply.DeleteRecipient delete:
                        Remove(recipients, delete.Address);
                        break;
                }
            }
        }

        skipped = wrong;
        return envelope with { ReversePath = sender, Recipients = recipients };
    }

    private static void Remove(List<MailboxAddress> recipients, string address)
    {
        var normalized = MailboxAddress.TryNormalize(address);
        recipients.RemoveAll(r => r.Normalized == normalized);
    }

    // A milter gives "<a@b>" (or, from some libraries, a bare a@b); ESMTP parameters never reach here.
    private static string Unbracket(string address) => address.Trim().TrimStart('<').TrimEnd('>');
}
