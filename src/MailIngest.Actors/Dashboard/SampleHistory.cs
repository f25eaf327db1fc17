namespace MailIngest.Actors.Dashboard;

/// <summary>The latest samples of one node in a fixed ring: memory stays the same however long the node runs.</summary>
public sealed class SampleHistory(int capacity)
{
    private readonly DashboardSample[] _ring = new DashboardSample[capacity];
    private int _next;
    private int _count;

    /// <summary>Adds a sample, dropping the oldest once the ring is full.</summary>
    public void Add(DashboardSample sample)
    {
        _ring[_next] = sample;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    /// <summary>The samples held, oldest first.</summary>
    public DashboardSample[] ToArray()
    {
        var samples = new DashboardSample[_count];
        var oldest = (_next - _count + _ring.Length) % _ring.Length;
        for (var i = 0; i < _count; i++) samples[i] = _ring[(oldest + i) % _ring.Length];
        return samples;
    }
}
