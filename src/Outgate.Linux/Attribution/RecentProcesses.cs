namespace Outgate.Linux.Attribution;

/// <summary>
/// The last N process ids the proc connector reported as exec'd or forked, newest first: the
/// likely owners of a socket the inode cache has not seen yet. Thread-safe (a short lock).
/// </summary>
internal sealed class RecentProcesses
{
    private readonly int[] _ring;
    private readonly Lock _lock = new();
    private int _next, _count;

    public RecentProcesses(int capacity) => _ring = new int[Math.Max(capacity, 1)];

    public void Add(int pid)
    {
        lock (_lock)
        {
            _ring[_next] = pid;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length) _count++;
        }
    }

    /// <summary>Adds <paramref name="pid"/> unless it is already listed (for the short list of busy socket owners).</summary>
    public void AddIfAbsent(int pid)
    {
        lock (_lock)
        {
            for (var i = 0; i < _count; i++)
                if (_ring[i] == pid) return;
            _ring[_next] = pid;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length) _count++;
        }
    }

    /// <summary>Copies up to destination.Length pids, newest first; returns how many.</summary>
    public int CopyNewestFirst(Span<int> destination)
    {
        lock (_lock)
        {
            var n = Math.Min(_count, destination.Length);
            for (var i = 0; i < n; i++)
                destination[i] = _ring[(_next - 1 - i + _ring.Length * 2) % _ring.Length];
            return n;
        }
    }
}
