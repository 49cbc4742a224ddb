using System.Buffers;
using System.Buffers.Text;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Outgate.Linux.ProcFs;

/// <summary>
/// Socket inode → owning processes, from one pass over <c>/proc/&lt;pid&gt;/fd/*</c> (each socket
/// fd is a symlink reading <c>socket:[INODE]</c>). A socket shared by several processes (after
/// fork, or passed over a unix socket) lists all of them, ordered by pid.
/// </summary>
/// <remarks>
/// The scan allocates nothing per fd: directories are read with getdents64 into a pooled buffer
/// and each link with readlinkat into a stack buffer. Processes that exit mid-scan are skipped.
/// The scan runs on the calling thread (credentials such as the fsuid are per thread); the
/// finished index is immutable and safe to share between threads.
/// </remarks>
public sealed class SocketOwnerIndex
{
    private const string SocketPrefix = "socket:[";
    private const int DirentBufferSize = 32 * 1024;
    private const int LinkBufferSize = 64;

    private readonly Dictionary<ulong, int> _single = [];
    private readonly Dictionary<ulong, List<int>> _multi = [];
    private readonly IReadOnlySet<ulong>? _wanted;

    private SocketOwnerIndex(IReadOnlySet<ulong>? wanted) => _wanted = wanted;

    /// <summary>Processes whose fd directory was read.</summary>
    public int ProcessesScanned { get; private set; }

    /// <summary>
    /// Processes whose fd directory we may not read (another user's process and we are not root):
    /// when non-zero, tell the user to run as root to see all owners.
    /// </summary>
    public int ProcessesDenied { get; private set; }

    /// <summary>Processes that exited between listing /proc and reading their fds.</summary>
    public int ProcessesVanished { get; private set; }

    /// <summary>Distinct socket inodes found.</summary>
    public int SocketCount => _single.Count + _multi.Count;

    /// <summary>Scans every process under <paramref name="procRoot"/>.</summary>
    public static SocketOwnerIndex Scan(string procRoot = "/proc") => ScanCore(procRoot, wanted: null);

    /// <summary>
    /// Scans every process but records only the inodes in <paramref name="wanted"/> (e.g. the
    /// sockets a sock_diag dump returned), which keeps the index small on busy hosts.
    /// </summary>
    public static SocketOwnerIndex Scan(string procRoot, IReadOnlySet<ulong> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        return ScanCore(procRoot, wanted);
    }

    /// <summary>
    /// Scans only <paramref name="pids"/> (e.g. processes the proc connector just saw exec or
    /// fork): the cheap first try before a full scan. Pids that are gone count as vanished.
    /// </summary>
    public static SocketOwnerIndex ScanProcesses(string procRoot, ReadOnlySpan<int> pids)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        var index = new SocketOwnerIndex(wanted: null);
        var buffer = ArrayPool<byte>.Shared.Rent(DirentBufferSize);
        try
        {
            using var procDir = Interop.Open(procRoot, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
            if (procDir.IsInvalid)
                ThrowScanFailed("open", procRoot, Marshal.GetLastPInvokeError());
            foreach (var pid in pids)
                if (pid > 0) index.ScanProcess(procDir, pid, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return index;
    }

    /// <summary>Every socket found with its first owner: the lowest pid after a full scan (the parent, for a socket inherited over fork), else the first pid scanned.</summary>
    public IEnumerable<KeyValuePair<ulong, int>> FirstOwners()
    {
        foreach (var pair in _single) yield return pair;
        foreach (var (inode, pids) in _multi) yield return new(inode, pids[0]);
    }

    /// <summary>The pids holding socket <paramref name="inode"/>, ascending; empty if none was seen.</summary>
    public IReadOnlyList<int> PidsOf(ulong inode)
    {
        if (_single.TryGetValue(inode, out var pid)) return [pid];
        if (_multi.TryGetValue(inode, out var pids)) return new ReadOnlyCollection<int>(pids);
        return [];
    }

    private static SocketOwnerIndex ScanCore(string procRoot, IReadOnlySet<ulong>? wanted)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        var index = new SocketOwnerIndex(wanted);
        var buffer = ArrayPool<byte>.Shared.Rent(DirentBufferSize);
        try
        {
            using var procDir = Interop.Open(procRoot, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
            if (procDir.IsInvalid)
                ThrowScanFailed("open", procRoot, Marshal.GetLastPInvokeError());
            var pids = ListPids(procDir, procRoot, buffer);
            pids.Sort(); // owners come out ordered by pid without sorting each list
            foreach (var pid in pids)
                index.ScanProcess(procDir, pid, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return index;
    }

    private static unsafe List<int> ListPids(ProcFsHandle procDir, string procRoot, byte[] buffer)
    {
        var pids = new List<int>(512);
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var n = Interop.GetDents64(procDir, b, (nuint)buffer.Length);
                if (n == 0) break;
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.EINTR) continue;
                    ThrowScanFailed("getdents64", procRoot, errno);
                }
                var reader = new DirectoryEntryReader(new ReadOnlySpan<byte>(b, (int)n));
                while (reader.MoveNext())
                    if (TryParsePid(reader.Name, out var pid)) pids.Add(pid);
            }
        }
        return pids;
    }

    private unsafe void ScanProcess(ProcFsHandle procDir, int pid, byte[] buffer)
    {
        // "<pid>/fd\0", relative to the open proc root.
        byte* path = stackalloc byte[24];
        var span = new Span<byte>(path, 24);
        Utf8Formatter.TryFormat(pid, span, out var len);
        "/fd\0"u8.CopyTo(span[len..]);

        using var fdDir = Interop.OpenAt(procDir, path, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        if (fdDir.IsInvalid)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (ProcFsFile.IsDenied(errno)) ProcessesDenied++;
            else ProcessesVanished++; // ENOENT/ESRCH, or not a process directory at all
            return;
        }

        byte* link = stackalloc byte[LinkBufferSize];
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var n = Interop.GetDents64(fdDir, b, (nuint)buffer.Length);
                if (n == 0) break;
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.EINTR) continue;
                    if (ProcFsFile.IsDenied(errno)) { ProcessesDenied++; return; }
                    ProcessesVanished++; // exited while we listed its fds
                    return;
                }
                var reader = new DirectoryEntryReader(new ReadOnlySpan<byte>(b, (int)n));
                while (reader.MoveNext())
                {
                    if (reader.Name.Length == 0 || reader.Name[0] == (byte)'.') continue;
                    var m = Interop.ReadLinkAt(fdDir, b + reader.NameStart, link, LinkBufferSize);
                    if (m <= 0) continue; // fd closed meanwhile, or the process is gone: nothing to record
                    if (TryParseSocketLink(new ReadOnlySpan<byte>(link, (int)m), out var inode))
                        Add(inode, pid);
                }
            }
        }
        ProcessesScanned++;
    }

    private void Add(ulong inode, int pid)
    {
        if (_wanted is not null && !_wanted.Contains(inode)) return;
        if (_multi.TryGetValue(inode, out var list))
        {
            if (list[^1] != pid) list.Add(pid);
            return;
        }
        ref var existing = ref CollectionsMarshal.GetValueRefOrAddDefault(_single, inode, out var found);
        if (!found) { existing = pid; return; }
        if (existing == pid) return; // the same socket on two fds of one process (dup)
        _multi.Add(inode, [existing, pid]);
        _single.Remove(inode);
    }

    [DoesNotReturn]
    private static void ThrowScanFailed(string syscall, string procRoot, int errno) =>
        throw new IOException($"cannot list processes: {syscall}(\"{procRoot}\") failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}); is procfs mounted there?");

    /// <summary>Parses a /proc fd link target <c>socket:[12345]</c>; anything else (files, pipes, anon inodes) is false.</summary>
    internal static bool TryParseSocketLink(ReadOnlySpan<byte> target, out ulong inode)
    {
        inode = 0;
        if (!target.StartsWith("socket:["u8) || target.Length < SocketPrefix.Length + 2 || target[^1] != (byte)']')
            return false;
        var digits = target[SocketPrefix.Length..^1];
        return Utf8Parser.TryParse(digits, out inode, out var consumed) && consumed == digits.Length && digits[0] != (byte)'+';
    }

    /// <summary>A /proc/&lt;pid&gt;/fd entry name: ASCII digits only, no sign, fits an int (0 included).</summary>
    internal static bool TryParseFdNumber(ReadOnlySpan<byte> name, out int fd)
    {
        fd = 0;
        if (name.Length is 0 or > 10) return false;
        long value = 0;
        foreach (var c in name)
        {
            if (c < (byte)'0' || c > (byte)'9') return false;
            value = value * 10 + (c - '0');
        }
        if (value > int.MaxValue) return false;
        fd = (int)value;
        return true;
    }

    /// <summary>A /proc entry name that is a pid: ASCII digits only, no sign, fits an int, greater than 0.</summary>
    internal static bool TryParsePid(ReadOnlySpan<byte> name, out int pid)
    {
        pid = 0;
        if (name.Length is 0 or > 10) return false;
        long value = 0;
        foreach (var c in name)
        {
            if (c < (byte)'0' || c > (byte)'9') return false;
            value = value * 10 + (c - '0');
        }
        if (value is <= 0 or > int.MaxValue) return false;
        pid = (int)value;
        return true;
    }
}
