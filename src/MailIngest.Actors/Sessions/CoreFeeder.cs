using System.Buffers;
using MailIngest.Smtp.Session;

namespace MailIngest.Actors.Sessions;

/// <summary>
/// Feeds what one read returned to the core, which takes contiguous memory: segment by segment, joining a bounded
/// piece where a line or an end-of-data marker runs across a segment boundary. The effects of each piece are applied
/// before the next is fed, because the core reuses its effect list and message content points into the piece.
/// </summary>
/// <param name="apply">Carries out one piece's effects.</param>
public sealed class CoreFeeder(Action<IReadOnlyList<SmtpEffect>> apply)
{
    // A command line is at most 1000 octets and DATA leaves at most two unconsumed, so a piece joined across pipe
    // segments needs only this much after the unconsumed tail to make progress.
    private const int JoinLookahead = 4 * 1024;

    /// <summary>Feeds <paramref name="buffer"/> to <paramref name="core"/> until it stops consuming; returns how far it got.</summary>
    public SequencePosition Feed(SmtpSession core, ReadOnlySequence<byte> buffer)
    {
        var rest = buffer;
        while (!rest.IsEmpty && !core.Closed && !core.AwaitingHost)
        {
            // After progress the rest is fed again: the core stopped short because it needs more octets (then it
            // takes none next time), or it waited for the host, whose answer may have come at once.
            var used = FeedPiece(core, rest.First);
            rest = rest.Slice(used);
            if (used > 0) continue;
            if (rest.IsSingleSegment) break;
            var joined = FeedJoined(core, rest);
            if (joined == 0) break;
            rest = rest.Slice(joined);
        }

        return rest.Start;
    }

    private int FeedJoined(SmtpSession core, ReadOnlySequence<byte> rest)
    {
        var length = (int)Math.Min(rest.Length, rest.First.Length + JoinLookahead);
        var scratch = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            rest.Slice(0, length).CopyTo(scratch);
            return FeedPiece(core, scratch.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private int FeedPiece(SmtpSession core, ReadOnlyMemory<byte> piece)
    {
        var result = core.Feed(piece);
        apply(result.Effects);
        return result.Consumed;
    }
}
