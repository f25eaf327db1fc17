using System.Buffers.Binary;
using System.Text;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Milter;

/// <summary>What a milter answers (libmilter's SMFIR_* replies, mfdef.h), parsed from one packet.</summary>
public abstract record MilterReply
{
    /// <summary>
    /// Parses the packet with command octet <paramref name="command"/> and <paramref name="data"/>. A packet that
    /// does not follow the protocol becomes <see cref="Invalid"/>, never an exception: a broken milter is a
    /// failure the failure policy handles.
    /// </summary>
    public static MilterReply Parse(byte command, ReadOnlySpan<byte> data)
    {
        switch ((char)command)
        {
            case 'O' when data.Length >= 12:
                return new Negotiated(
                    BinaryPrimitives.ReadUInt32BigEndian(data),
                    (MilterActions)BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
                    (MilterProtocol)BinaryPrimitives.ReadUInt32BigEndian(data[8..]));
            case 'c': return Continue.Instance;
            case 'a': return Accept.Instance;
            case 'r': return Reject.Instance;
            case 't': return TempFail.Instance;
            case 'd': return Discard.Instance;
            case 's': return Skip.Instance;
            case 'p': return Progress.Instance;
            case 'y':
                return Strings(data, 1) is [var text] && MilterReplyText.Parse(text) is { } reply
                    ? new ReplyCode(reply)
                    : new Invalid("a reply code that is not a 4xx or 5xx SMTP reply");
            case 'h':
                return Strings(data, 2) is [var name, var value] && IsFieldName(name)
                    ? new AddHeader(name, value)
                    : new Invalid("an add-header without a valid field name and value");
            case 'i' or 'm' when data.Length >= 4:
                var index = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data), int.MaxValue);
                if (Strings(data[4..], 2) is not [var field, var text2] || !IsFieldName(field))
                    return new Invalid("a header change without a valid field name and value");
                return command == 'i' ? new InsertHeader(index, field, text2) : new ChangeHeader(index, field, text2);
            case '+':
                return Strings(data, 1) is [var added] ? new AddRecipient(added) : new Invalid("an add-recipient without an address");
            case '2':
                return Strings(data, 1, allowMore: true) is [var withParameters, ..] ? new AddRecipient(withParameters) : new Invalid("an add-recipient without an address");
            case '-':
                return Strings(data, 1) is [var removed] ? new DeleteRecipient(removed) : new Invalid("a delete-recipient without an address");
            case 'e':
                return Strings(data, 1, allowMore: true) is [var sender, ..] ? new ChangeSender(sender) : new Invalid("a change-sender without an address");
            case 'q':
                return Strings(data, 1) is [var reason] ? new Quarantine(reason) : new Invalid("a quarantine without a reason");
            case 'b': return new Invalid("a body replacement, which was not negotiated");
            default:
                return new Invalid($"an unknown reply 0x{command:x2}");
        }
    }

    // NUL-terminated strings filling the data exactly; null when the data is not that shape.
    private static string[]? Strings(ReadOnlySpan<byte> data, int count, bool allowMore = false)
    {
        var strings = new List<string>(count);
        while (!data.IsEmpty)
        {
            var end = data.IndexOf((byte)0);
            if (end < 0) return null;
            strings.Add(Encoding.UTF8.GetString(data[..end]));
            data = data[(end + 1)..];
        }

        return strings.Count == count || (allowMore && strings.Count > count) ? strings.ToArray() : null;
    }

    // RFC 5322 §3.6.8: printable US-ASCII except colon.
    private static bool IsFieldName(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < '\x7f' and not ':');

    /// <summary>SMFIC_OPTNEG's answer: the version, the actions the milter wants, the steps it skips.</summary>
    public sealed record Negotiated(uint Version, MilterActions Actions, MilterProtocol Protocol) : MilterReply;

    /// <summary>SMFIR_CONTINUE: go on.</summary>
    public sealed record Continue : MilterReply
    {
        /// <summary>The single instance.</summary>
        public static readonly Continue Instance = new();
    }

    /// <summary>SMFIR_ACCEPT: accept the message; the milter wants nothing more of it.</summary>
    public sealed record Accept : MilterReply
    {
        /// <summary>The single instance.</summary>
        public static readonly Accept Instance = new();
    }

    /// <summary>SMFIR_REJECT: refuse (the recipient, at RCPT; else the message) with 550 5.7.1.</summary>
    public sealed record Reject : MilterReply
    {
        /// <summary>The single instance.</summary>
        public static readonly Reject Instance = new();
    }

    /// <summary>SMFIR_TEMPFAIL: refuse for now with 451 4.7.1.</summary>
    public sealed record TempFail : MilterReply
    {
        /// <summary>The single instance.</summary>
        public static readonly TempFail Instance = new();
    }

    /// <summary>SMFIR_DISCARD: say 250, store nothing.</summary>
    public sealed record Discard : MilterReply
    {
        /// <summary>The single instance.</summary>
        public static readonly Discard Instance = new();
    }

    /// <summary>SMFIR_SKIP: send no more body chunks.</summary>
    public sealed record Skip : MilterReply
    {
        /// <summary>The single instance.</summary>
        public static readonly Skip Instance = new();
    }

    /// <summary>SMFIR_PROGRESS: still working; the wait starts over.</summary>
    public sealed record Progress : MilterReply
    {
        /// <summary>The single instance.</summary>
        public static readonly Progress Instance = new();
    }

    /// <summary>SMFIR_REPLYCODE: refuse with the milter's own reply (4xx temporary, 5xx permanent).</summary>
    public sealed record ReplyCode(SmtpReply Reply) : MilterReply;

    /// <summary>SMFIR_ADDHEADER: append a header field.</summary>
    public sealed record AddHeader(string Name, string Value) : MilterReply;

    /// <summary>SMFIR_INSHEADER: insert a header field before the field at <paramref name="Index"/> (0: first).</summary>
    public sealed record InsertHeader(int Index, string Name, string Value) : MilterReply;

    /// <summary>SMFIR_CHGHEADER: change the <paramref name="Index"/>-th (from 1) field so named; an empty value deletes it.</summary>
    public sealed record ChangeHeader(int Index, string Name, string Value) : MilterReply;

    /// <summary>SMFIR_ADDRCPT (or SMFIR_ADDRCPT_PAR, whose parameters are not kept).</summary>
    public sealed record AddRecipient(string Address) : MilterReply;

    /// <summary>SMFIR_DELRCPT.</summary>
    public sealed record DeleteRecipient(string Address) : MilterReply;

    /// <summary>SMFIR_CHGFROM (ESMTP parameters, if any, are not kept).</summary>
    public sealed record ChangeSender(string Address) : MilterReply;

    /// <summary>SMFIR_QUARANTINE: keep the message, marked, out of the webhooks.</summary>
    public sealed record Quarantine(string Reason) : MilterReply;

    /// <summary>A packet that breaks the protocol; <paramref name="Reason"/> says how.</summary>
    public sealed record Invalid(string Reason) : MilterReply;
}
