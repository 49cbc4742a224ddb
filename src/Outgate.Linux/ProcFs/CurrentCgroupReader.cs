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
    private readonly ConcurrentDictionary<int, string> _last = new();

    /// <param name="procRoot">Where procfs is mounted.</param>
    /// <param name="capacity">Pids remembered before the memory is dropped and refilled (default 4,096).</param>
    public CurrentCgroupReader(string procRoot = "/proc", int capacity = 4096)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _procRoot = procRoot;
        _capacity = capacity;
    }

    /// <summary>
    /// The cgroup path of <paramref name="pid"/> as <see cref="CgroupFileParser"/> chooses it; false
    /// when the process is gone or the file unreadable. Allocates only when the path changed (or on
    /// the first read for this pid).
    /// </summary>
    public unsafe bool TryRead(int pid, out string path)
    {
        path = "";
        if (pid <= 0) return false;
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
        if (_last.TryGetValue(pid, out var known) && Utf8EqualsString(chosen, known))
        {
            path = known;
            return true;
        }
        path = Encoding.UTF8.GetString(chosen);
        Remember(pid, path);
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
            Remember(pid, path);
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Remember(int pid, string path)
    {
        if (_last.Count >= _capacity) _last.Clear();
        _last[pid] = path;
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
