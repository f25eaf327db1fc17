using System.Collections;
using MailIngest.Smtp.Replies;

namespace MailIngest.Smtp.Session;

/// <summary>
/// The effects of one call into <see cref="SmtpSession"/>. The next call clears the list and reuses its
/// <see cref="SendReply"/> and <see cref="AppendMessage"/> objects, so a session in steady state allocates no
/// effect per line or per read; hosts act on the effects (or copy them) before they call the session again.
/// </summary>
internal sealed class EffectList : IReadOnlyList<SmtpEffect>
{
    // Enough for the replies of a pipelined batch and the segments of a read with some dot-stuffed lines.
    // A call that needs more allocates the rest instead of keeping them for the life of the session.
    private const int MaxKeptPerKind = 64;

    private readonly List<SmtpEffect> _items = [];
    private readonly Recycled<SendReply> _replies = new();
    private readonly Recycled<AppendMessage> _appends = new();

    public int Count => _items.Count;

    public SmtpEffect this[int index] => _items[index];

    public void Clear()
    {
        _items.Clear();
        _replies.Reset();
        _appends.Reset();
    }

    public void Add(SmtpEffect effect) => _items.Add(effect);

    public void AddReply(SmtpReply reply)
    {
        var send = _replies.Next() ?? _replies.Keep(new SendReply(reply));
        send.Reply = reply;
        _items.Add(send);
    }

    public void AddContent(ReadOnlyMemory<byte> content)
    {
        var append = _appends.Next() ?? _appends.Keep(new AppendMessage(content));
        append.Content = content;
        _items.Add(append);
    }

    public List<SmtpEffect>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<SmtpEffect> IEnumerable<SmtpEffect>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Recycled<T>
        where T : SmtpEffect
    {
        private readonly List<T> _kept = [];
        private int _used;

        public void Reset() => _used = 0;

        /// <summary>The next object used in an earlier call, or null when a new one is needed (see Keep).</summary>
        public T? Next() => _used < _kept.Count ? _kept[_used++] : null;

        public T Keep(T effect)
        {
            _used++;
            if (_kept.Count < MaxKeptPerKind)
            {
                _kept.Add(effect);
            }

            return effect;
        }
    }
}
