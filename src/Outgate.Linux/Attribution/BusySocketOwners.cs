using System.Runtime.CompilerServices;
using Outgate.Linux.ProcFs;

namespace Outgate.Linux.Attribution;

/// <summary>
/// The few processes that opened sockets lately (a load generator, a browser, a daemon with a
/// pool), each with its <c>/proc/&lt;pid&gt;/fd</c> kept open and the fd numbers where its new
/// sockets keep appearing. A new socket takes the lowest free fd, so a process that opens and
/// closes connections reuses a handful of numbers: reading those few links (a few µs each) finds
/// the socket without reading the whole fd table (hundreds of µs for a few hundred fds).
/// Thread-safe: the bookkeeping is under a short lock, the syscalls run outside it.
/// </summary>
/// <remarks>
/// Pid reuse cannot mislead a probe: a kept fd directory fails with ENOENT once its process has
/// exited, even when the number now belongs to another process (see <see cref="ProcessFdDirectory"/>);
/// such an owner is dropped on its next full read, and <see cref="Admit"/> reopens by pid.
/// </remarks>
internal sealed class BusySocketOwners : IDisposable
{
    /// <summary>Guessed fd numbers kept per owner: the sockets of a few threads plus the next free numbers.</summary>
    internal const int HotCapacity = 8;

    /// <summary>Free fd numbers remembered after a full read (the kernel's next picks).</summary>
    private const int FreeCandidates = 2;

    private readonly string _procRoot;
    private readonly Owner?[] _slots;
    private readonly Lock _lock = new();
    private long _clock;

    public BusySocketOwners(string procRoot, int capacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, Snapshot.Length);
        _procRoot = procRoot;
        _slots = new Owner?[Math.Max(capacity, 1)];
    }

    /// <summary>Pids currently kept, for tests and counters.</summary>
    public int[] Pids()
    {
        lock (_lock) return _slots.Where(o => o is not null).Select(o => o!.Fds.Pid).ToArray();
    }

    /// <summary>
    /// Reads the guessed fd numbers of every kept owner, most recently useful first, for
    /// <paramref name="inode"/>. Other sockets met on the way are handed to <paramref name="seen"/>
    /// (their packets are likely next). Allocates nothing.
    /// </summary>
    public bool TryProbe(ulong inode, Action<ulong, int> seen, out int pid)
    {
        var owners = new Snapshot();
        Span<int> hot = stackalloc int[Snapshot.Length * HotCapacity];
        Span<int> hotCounts = stackalloc int[Snapshot.Length];
        var count = Take(ref owners, hot, hotCounts);
        for (var i = 0; i < count; i++)
        {
            var owner = owners[i]!;
            foreach (var fd in hot.Slice(i * HotCapacity, hotCounts[i]))
            {
                if (owner.Fds.Probe(fd, out var found) != FdProbe.Socket) continue;
                if (found != inode)
                {
                    seen(found, owner.Fds.Pid);
                    continue;
                }
                lock (_lock)
                {
                    Promote(owner, fd);
                    owner.LastUsed = ++_clock;
                }
                pid = owner.Fds.Pid;
                return true;
            }
        }
        pid = 0;
        return false;
    }

    /// <summary>
    /// Reads the whole fd table of every kept owner until one holds <paramref name="inode"/>; every
    /// socket found goes to <paramref name="seen"/>. Learns where the socket was and the lowest free
    /// numbers (where the next ones will be). Owners that exited are dropped.
    /// </summary>
    public bool TryReadTables(ulong inode, Action<ulong, int> seen, out int pid)
    {
        var owners = new Snapshot();
        Span<int> hot = stackalloc int[Snapshot.Length * HotCapacity];
        Span<int> hotCounts = stackalloc int[Snapshot.Length];
        var count = Take(ref owners, hot, hotCounts);
        Span<int> free = stackalloc int[FreeCandidates];
        var search = new TableSearch { Wanted = inode, Seen = seen };
        for (var i = 0; i < count; i++)
        {
            var owner = owners[i]!;
            search.Pid = owner.Fds.Pid;
            search.FoundAt = -1;
            if (!owner.Fds.ReadSockets(static (s, fd, ino) =>
                {
                    if (ino == s.Wanted) s.FoundAt = fd;
                    else s.Seen(ino, s.Pid);
                }, search, free, out var freeCount))
            {
                Drop(owner);
                continue;
            }
            lock (_lock)
            {
                foreach (var f in free[..freeCount]) Append(owner, f);
                if (search.FoundAt < 0) continue;
                Promote(owner, search.FoundAt);
                owner.LastUsed = ++_clock;
            }
            pid = owner.Fds.Pid;
            return true;
        }
        pid = 0;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="pid"/> as a busy owner (a socket of it was just found by a scan),
    /// evicting the least recently useful; an owner already kept under that pid is reopened, in
    /// case the pid now names another process. False when its fd directory cannot be opened.
    /// </summary>
    public bool Admit(int pid)
    {
        if (!ProcessFdDirectory.TryOpen(_procRoot, pid, out var fds, out _)) return false;
        Owner? evicted = null;
        lock (_lock)
        {
            var slot = -1;
            for (var i = 0; i < _slots.Length; i++)
            {
                if (_slots[i] is { } o && o.Fds.Pid == pid) { slot = i; break; }
                if (_slots[i] is null && slot < 0) slot = i;
            }
            if (slot < 0)
            {
                slot = 0;
                for (var i = 1; i < _slots.Length; i++)
                    if (_slots[i]!.LastUsed < _slots[slot]!.LastUsed) slot = i;
            }
            evicted = _slots[slot];
            _slots[slot] = new Owner(fds) { LastUsed = ++_clock };
        }
        evicted?.Fds.Dispose();
        return true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                _slots[i]?.Fds.Dispose();
                _slots[i] = null;
            }
        }
    }

    private int Take(ref Snapshot owners, Span<int> hot, Span<int> hotCounts)
    {
        var count = 0;
        lock (_lock)
        {
            foreach (var owner in _slots)
            {
                if (owner is null) continue;
                // Insertion by recency: at most eight owners.
                var at = count++;
                while (at > 0 && owners[at - 1]!.LastUsed < owner.LastUsed)
                {
                    owners[at] = owners[at - 1];
                    hot.Slice((at - 1) * HotCapacity, HotCapacity).CopyTo(hot.Slice(at * HotCapacity, HotCapacity));
                    hotCounts[at] = hotCounts[at - 1];
                    at--;
                }
                owners[at] = owner;
                owner.Hot.AsSpan(0, owner.HotCount).CopyTo(hot.Slice(at * HotCapacity, HotCapacity));
                hotCounts[at] = owner.HotCount;
            }
        }
        return count;
    }

    private void Drop(Owner owner)
    {
        lock (_lock)
        {
            var i = Array.IndexOf(_slots, owner);
            if (i < 0) return; // already replaced
            _slots[i] = null;
        }
        owner.Fds.Dispose();
    }

    /// <summary>Moves (or inserts) <paramref name="fd"/> to the front: the number a closed socket frees is the next one's.</summary>
    private static void Promote(Owner owner, int fd)
    {
        var at = Array.IndexOf(owner.Hot, fd, 0, owner.HotCount);
        if (at < 0)
        {
            at = owner.HotCount < HotCapacity ? owner.HotCount++ : HotCapacity - 1;
        }
        for (; at > 0; at--) owner.Hot[at] = owner.Hot[at - 1];
        owner.Hot[0] = fd;
    }

    /// <summary>Adds <paramref name="fd"/> at the back when absent (replacing the last guess when full).</summary>
    private static void Append(Owner owner, int fd)
    {
        if (Array.IndexOf(owner.Hot, fd, 0, owner.HotCount) >= 0) return;
        if (owner.HotCount < HotCapacity) owner.Hot[owner.HotCount++] = fd;
        else owner.Hot[HotCapacity - 1] = fd;
    }

    private sealed class Owner(ProcessFdDirectory fds)
    {
        public ProcessFdDirectory Fds { get; } = fds;
        public int[] Hot { get; } = new int[HotCapacity];
        public int HotCount { get; set; }
        public long LastUsed { get; set; }
    }

    private sealed class TableSearch
    {
        public ulong Wanted;
        public int Pid;
        public int FoundAt;
        public required Action<ulong, int> Seen;
    }

    [InlineArray(Length)]
    private struct Snapshot
    {
        public const int Length = 8;
        private Owner? _element;
    }
}
