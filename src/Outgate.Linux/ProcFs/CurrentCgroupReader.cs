using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// The cgroup a live process is in now (it can be moved after exec: <c>systemd-run --scope</c>,
/// a container runtime), read per connection without allocating when it has not changed: the
/// file is read into a stack buffer and the chosen path compared with the last one seen for that
/// pid, so the common case is open/read/close and a byte comparison (no string, no FileStream).
/// Thread-safe.
/// </summary>
public sealed class CurrentCgroupReader
{
    private const int BufferSize = 4096; // v2: one line; v1 hybrids: a dozen short lines

    private readonly string _procRoot;
    private readonly int _capacity;
    private readonly long _maxAgeTicks;
    private readonly ConcurrentDictionary<int, Seen> _last = new();

    /// <param name="procRoot">Where procfs is mounted.</param>
    /// <param name="capacity">Pids remembered before the memory is dropped and refilled (default 4,096).</param>
    /// <param name="maxAge">
    /// How long a path read for a pid is answered without reading again. Zero (default): read on
    /// every call (~25 µs measured: open/read/close of a /proc file). A few hundred ms makes a busy
    /// sender's connections cost nothing here, at the price of seeing a move between cgroups that
    /// much later.
    /// </param>
    public CurrentCgroupReader(string procRoot = "/proc", int capacity = 4096, TimeSpan maxAge = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        _procRoot = procRoot;
        _capacity = capacity;
        _maxAgeTicks = (long)(maxAge.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    private sealed record Seen(string Path, long ReadAt);

    /// <summary>
    /// The cgroup path of <paramref name="pid"/> as <see cref="CgroupFileParser"/> chooses it; false
    /// when the process is gone or the file unreadable. Allocates only when the path changed (or on
    /// the first read for this pid).
    /// </summary>
    public unsafe bool TryRead(int pid, out string path)
    {
        path = "";
        if (pid <= 0) return false;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_maxAgeTicks > 0 && _last.TryGetValue(pid, out var recent) && now - recent.ReadAt < _maxAgeTicks)
        {
            path = recent.Path;
            return true;
        }
        // "<procRoot>/<pid>/cgroup\0" in a stack buffer: no string per call.
        var rootLength = Encoding.UTF8.GetByteCount(_procRoot);
        if (rootLength > 200) return TryReadSlow(pid, out path);
        byte* name = stackalloc byte[256];
        var span = new Span<byte>(name, 256);
        var at = Encoding.UTF8.GetBytes(_procRoot, span);
        span[at++] = (byte)'/';
        Utf8Formatter.TryFormat(pid, span[at..], out var digits);
        at += digits;
        "/cgroup\0"u8.CopyTo(span[at..]);

        byte* buffer = stackalloc byte[BufferSize];
        var length = Interop.ReadSmallFile(name, buffer, BufferSize, out _);
        if (length < 0) return false;
        if (length == BufferSize) return TryReadSlow(pid, out path); // unusually long: let the general reader grow its buffer
        if (!CgroupFileParser.TrySelectPathUtf8(new ReadOnlySpan<byte>(buffer, length), out var chosen)) return false;
        if (_last.TryGetValue(pid, out var known) && Utf8EqualsString(chosen, known.Path))
        {
            path = known.Path;
            if (_maxAgeTicks > 0) _last[pid] = known with { ReadAt = now }; // one small record per max-age, not per call
            return true;
        }
        path = Encoding.UTF8.GetString(chosen);
        Remember(pid, path, now);
        return true;
    }

    /// <summary>Forgets <paramref name="pid"/> (call on its exit so a reused pid starts fresh; not required for correctness).</summary>
    public void Forget(int pid) => _last.TryRemove(pid, out _);

    private bool TryReadSlow(int pid, out string path)
    {
        path = "";
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize * 4);
        try
        {
            if (!ProcFsFile.TryReadAll($"{_procRoot}/{pid}/cgroup", ref buffer, out var length, out _)) return false;
            if (!CgroupFileParser.TrySelectPath(buffer.AsSpan(0, length), out path)) return false;
            Remember(pid, path, System.Diagnostics.Stopwatch.GetTimestamp());
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Remember(int pid, string path, long now)
    {
        if (_last.Count >= _capacity) _last.Clear();
        _last[pid] = new Seen(path, now);
    }

    private static bool Utf8EqualsString(ReadOnlySpan<byte> utf8, string text)
    {
        // Cgroup paths are ASCII in practice: compare byte by char, and fall back to a decode otherwise.
        if (utf8.Length != text.Length) return Encoding.UTF8.GetString(utf8) == text;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] >= 0x80) return Encoding.UTF8.GetString(utf8) == text;
            if (utf8[i] != text[i]) return false;
        }
        return true;
    }
}
